// A streaming SHA-256 context in linear memory (FIPS 180-4 §5.1.1 padding,
// §6.2 hashing), addressed by pointer so that the kernel can run several at
// once: the exported streaming CONTEXT, and HMAC's inner and outer hashes.
//
// Layout (112 bytes): state(32) ‖ block(64) ‖ blockLen(4) ‖ pad(4) ‖ totalLen(8).
// The JS side parks and restores this layout verbatim, so it must not change.

import { compress } from './sha256-compress';
import { H0 } from './sha256-constants';

export const CONTEXT_BYTES: i32 = 112;
const BLOCK: usize = 32;
const BLOCK_LEN: usize = 96;
const TOTAL_LEN: usize = 104;

/** Resets `ctx` to the initial hash value H(0). */
export function ctxInit(ctx: usize): void {
  memory.copy(ctx, H0, 32);
  store<u32>(ctx + BLOCK_LEN, 0);
  store<u64>(ctx + TOTAL_LEN, 0);
}

/** Starts `ctx` from a saved mid-state that has absorbed `total` bytes (a multiple of 64). */
export function ctxResume(ctx: usize, state: usize, total: u64): void {
  memory.copy(ctx, state, 32);
  store<u32>(ctx + BLOCK_LEN, 0);
  store<u64>(ctx + TOTAL_LEN, total);
}

/** Absorbs `len` bytes at `src`. */
export function ctxAbsorb(ctx: usize, src: usize, len: i32): void {
  store<u64>(ctx + TOTAL_LEN, load<u64>(ctx + TOTAL_LEN) + <u64>len);
  const block = ctx + BLOCK;
  let held = load<i32>(ctx + BLOCK_LEN);
  if (held > 0) {
    const take = min(64 - held, len);
    memory.copy(block + held, src, take);
    held += take; src += take; len -= take;
    if (held < 64) { store<i32>(ctx + BLOCK_LEN, held); return; }
    compress(ctx, block, 1);
  }
  const blocks = len >> 6;
  if (blocks > 0) compress(ctx, src, blocks);
  src += <usize>blocks << 6;
  len &= 63;
  memory.copy(block, src, len);
  store<i32>(ctx + BLOCK_LEN, len);
}

/** Pads, compresses the tail and writes the 32-byte big-endian digest to `dst`. */
export function ctxFinish(ctx: usize, dst: usize): void {
  const block = ctx + BLOCK;
  const held = <usize>load<i32>(ctx + BLOCK_LEN);
  const bits = load<u64>(ctx + TOTAL_LEN) << 3;
  store<u8>(block + held, 0x80);
  if (held >= 56) {
    memory.fill(block + held + 1, 0, 63 - held);
    compress(ctx, block, 1);
    memory.fill(block, 0, 56);
  } else {
    memory.fill(block + held + 1, 0, 55 - held);
  }
  store<u64>(block + 56, bswap(bits));
  compress(ctx, block, 1);
  writeDigest(ctx, dst);
}

/** Writes the 8 state words at `state` to `dst` in big-endian order. */
// @ts-ignore: decorator
@inline export function writeDigest(state: usize, dst: usize): void {
  store<u32>(dst, bswap(load<u32>(state, 0)), 0); store<u32>(dst, bswap(load<u32>(state, 4)), 4);
  store<u32>(dst, bswap(load<u32>(state, 8)), 8); store<u32>(dst, bswap(load<u32>(state, 12)), 12);
  store<u32>(dst, bswap(load<u32>(state, 16)), 16); store<u32>(dst, bswap(load<u32>(state, 20)), 20);
  store<u32>(dst, bswap(load<u32>(state, 24)), 24); store<u32>(dst, bswap(load<u32>(state, 28)), 28);
}
