// Picks the compression function for the build: the SIMD build computes the
// message schedule four words at a time in v128 registers (sha256-simd.ts),
// the scalar build keeps everything in i32 locals (sha256-scalar.ts).

import { compressScalar } from './sha256-scalar';

/** Compresses `blocks` consecutive 64-byte blocks at `src` into the 8-word state at `state`. */
// @ts-ignore: decorator
@inline export function compress(state: usize, src: usize, blocks: i32): void {
  compressScalar(state, src, blocks);
}
