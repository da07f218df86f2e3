// Picks the compression function for the build: the SIMD build computes the
// message schedule four words at a time in v128 registers (sha256-simd.ts),
// the scalar build keeps everything in i32 locals (sha256-scalar.ts).
// ASC_FEATURE_SIMD is a compile-time constant, so each build holds only one.

import { compressScalar } from './sha256-scalar';
import { compressSimd } from './sha256-simd';

/** Compresses `blocks` consecutive 64-byte blocks at `src` into the 8-word state at `state`. */
// @ts-ignore: decorator
@inline export function compress(state: usize, src: usize, blocks: i32): void {
  if (ASC_FEATURE_SIMD) compressSimd(state, src, blocks);
  else compressScalar(state, src, blocks);
}
