// In-place padding (FIPS 180-4 §5.1.1) for one-shot hashing: when the bytes
// after a message are free scratch space, the padding can be written right
// there and every block compressed straight from the caller's buffer, with no
// copy through a context's block buffer. This is most of the saving on short
// messages, where the copy and the bookkeeping cost as much as a compression.

/** Bytes that in-place padding may write past the end of a message. */
export const PAD_SLACK: i32 = 72;

/**
 * Writes 0x80, zeros and the 64-bit big-endian bit length after the `len`
 * bytes at `src`, counting `prefix` bytes already absorbed before them (a
 * multiple of 64), and returns the number of 64-byte blocks to compress.
 */
export function padInPlace(src: usize, len: i32, prefix: u64): i32 {
  const blocks = (len + PAD_SLACK) >> 6;
  const total = <usize>blocks << 6;
  const end = src + <usize>len;
  store<u8>(end, 0x80);
  memory.fill(end + 1, 0, total - <usize>len - 9);
  store<u64>(src + total - 8, bswap((prefix + <u64>len) << 3));
  return blocks;
}
