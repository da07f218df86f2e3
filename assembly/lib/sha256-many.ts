// Many equal-length messages in one call (Kademlia hashes every key it
// touches: peer IDs of one key type all have one length, so a lookup or a
// routing-table refresh hashes many equal-length messages). The SIMD
// build takes them four at a time (sha256-x4.ts); the rest go one by one.

import { ctxAbsorb, ctxFinish, ctxInit } from './sha256-context';
import { digest4 } from './sha256-x4';

const MANY_CONTEXT: usize = memory.data(128, 16);

/** Digests of `count` messages of `len` bytes laid end to end at `src`, written end to end at `dst`. */
export function digestManyInto(src: usize, count: i32, len: i32, dst: usize): void {
  let m = 0;
  if (ASC_FEATURE_SIMD) {
    for (; m + 4 <= count; m += 4) digest4(src + <usize>m * <usize>len, len, dst + (<usize>m << 5));
  }
  for (; m < count; m++) {
    ctxInit(MANY_CONTEXT);
    ctxAbsorb(MANY_CONTEXT, src + <usize>m * <usize>len, len);
    ctxFinish(MANY_CONTEXT, dst + (<usize>m << 5));
  }
}
