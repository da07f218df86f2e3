/**
 * Base-128 varints (protobuf encoding guide, "Base 128 Varints"), used for
 * field tags, lengths and varint scalars.
 */

/** A varint never needs more than 10 bytes (64 bits / 7 per byte, rounded up). */
export const MAX_VARINT_BYTES = 10

/** Bytes the varint encoding of a non-negative safe integer takes. */
export function varintLength (value: number): number {
  let n = 1
  while (value >= 0x80) { value = Math.floor(value / 128); n++ }
  return n
}

/** Bytes the varint encoding of a 64-bit unsigned bigint takes. */
export function varintLengthBig (value: bigint): number {
  let n = 1
  while (value >= 0x80n) { value >>= 7n; n++ }
  return n
}
