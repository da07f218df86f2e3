/**
 * The one protobuf codec of wasp2p: `ProtoWriter` to encode, `ProtoReader` to
 * decode (see each file's header for usage). Message schemas live with the
 * protocols that own them, written by hand against these two classes.
 */
export { ProtoWriter, MAX_FIELD_NUMBER } from './writer.js'
export { ProtoReader, WireType, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_FIELDS, type ProtoReaderOptions } from './reader.js'
export { ProtobufError } from './errors.js'
export { MAX_VARINT_BYTES, varintLength } from './varint.js'
