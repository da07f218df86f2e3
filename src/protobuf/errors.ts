/** Malformed or oversized protobuf input: truncation, bad wire type, varint overflow, limit exceeded. */
export class ProtobufError extends Error {
  override name = 'ProtobufError'
}
