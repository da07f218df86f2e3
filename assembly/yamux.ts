// Yamux frame-header scanner (libp2p yamux spec, "Framing":
// /work/shared/specs/libp2p/yamux/README.md).
//
// Every yamux frame starts with a 12-byte big-endian header:
//   version u8 | type u8 | flags u16 | stream id u32 | length u32
// and only Data frames (type 0) carry `length` payload bytes after it; for the
// other types `length` is a value (window delta, ping opaque, GoAway code).
//
// The JS side copies one received chunk into INPUT and calls scan(len, max)
// once: every frame whose header is complete is written to TABLE as four u32
// words (little-endian, read through a Uint32Array made once):
//   word 0: type | error << 8 | flags << 16
//   word 1: stream id
//   word 2: length
//   word 3: offset of the payload (the byte after the header) in INPUT
// The last entry may be a Data frame whose payload runs past the chunk end.
// Scanning stops at the first invalid header; its entry carries the error code.
// scan() returns the entry count and stores at RESULT the bytes consumed: the
// end of the last complete frame (the caller keeps the rest).
//
// The JS twin with the identical interface is src/muxer/yamux/scanner-js.ts;
// keep the two in step.

/** Bytes of one chunk the JS side may place in INPUT per call. */
export const INPUT_CAPACITY: i32 = 65536;
/** Entries that fit in TABLE: a chunk of INPUT_CAPACITY bytes holds at most this many 12-byte headers. */
export const TABLE_CAPACITY: i32 = INPUT_CAPACITY / 12 + 1;

export const INPUT: usize = memory.data(INPUT_CAPACITY, 16);
export const TABLE: usize = memory.data(TABLE_CAPACITY * 16, 16);
export const RESULT: usize = memory.data(16, 16);

const HEADER_LENGTH: i32 = 12;
const TYPE_DATA: u32 = 0;
const TYPE_GO_AWAY: u32 = 3;

export const ERROR_NONE: u32 = 0;
export const ERROR_BAD_VERSION: u32 = 1;
export const ERROR_UNKNOWN_TYPE: u32 = 2;
export const ERROR_FRAME_TOO_LARGE: u32 = 3;

/**
 * Scans INPUT[0..len) for frame headers; `maxDataLength` is the largest Data
 * payload accepted (unsigned). Returns the entry count; RESULT holds the bytes consumed.
 */
export function scan(len: i32, maxDataLength: u32): i32 {
  let pos: i32 = 0;
  let count: i32 = 0;
  let consumed: i32 = 0;
  while (len - pos >= HEADER_LENGTH) {
    const at = INPUT + <usize>pos;
    const version = <u32>load<u8>(at);
    const type = <u32>load<u8>(at, 1);
    const flags = <u32>bswap(load<u16>(at, 2));
    const id = bswap(load<u32>(at, 4));
    const length = bswap(load<u32>(at, 8));
    let error = ERROR_NONE;
    if (version != 0) error = ERROR_BAD_VERSION;
    else if (type > TYPE_GO_AWAY) error = ERROR_UNKNOWN_TYPE;
    else if (type == TYPE_DATA && length > maxDataLength) error = ERROR_FRAME_TOO_LARGE;
    const entry = TABLE + (<usize>count << 4);
    store<u32>(entry, type | (error << 8) | (flags << 16));
    store<u32>(entry, id, 4);
    store<u32>(entry, length, 8);
    store<u32>(entry, <u32>(pos + HEADER_LENGTH), 12);
    count++;
    if (error != ERROR_NONE) break;
    pos += HEADER_LENGTH;
    if (type == TYPE_DATA) {
      // Unsigned compare: a length near 2^32 must not wrap `pos`.
      if (<u32>(len - pos) < length) break;
      pos += <i32>length;
    }
    consumed = pos;
  }
  store<i32>(RESULT, consumed);
  return count;
}
