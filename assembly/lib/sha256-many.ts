// Many equal-length messages in one call (Kademlia hashes every key it
// touches; a routing-table refresh hashes hundreds of 32-byte keys).

import { CONTEXT_BYTES, ctxAbsorb, ctxFinish, ctxInit } from './sha256-context';

const MANY_CONTEXT: usize = memory.data(128, 16);

/** Digests of `count` messages of `len` bytes laid end to end at `src`, written end to end at `dst`. */
export function digestManyInto(src: usize, count: i32, len: i32, dst: usize): void {
  for (let m = 0; m < count; m++) {
    ctxInit(MANY_CONTEXT);
    ctxAbsorb(MANY_CONTEXT, src + <usize>m * <usize>len, len);
    ctxFinish(MANY_CONTEXT, dst + (<usize>m << 5));
  }
}
