// Many equal-length messages in one call (Kademlia hashes every key it
// touches: peer IDs of one key type all have one length, so a lookup or a
// routing-table refresh hashes many equal-length messages). The SIMD
// build takes them four at a time (sha256-x4.ts); the rest go one by one.
//
// The one-by-one messages are padded in place, last message first: the
// padding of message m overwrites the start of message m + 1, which has been
// hashed by then, and the last message's padding lands in the slack after
// INPUT (sha256-pad.ts).

import { compress } from './sha256-compress';
import { H0 } from './sha256-constants';
import { writeDigest } from './sha256-context';
import { padInPlace } from './sha256-pad';
import { digest4 } from './sha256-x4';

const MANY_STATE: usize = memory.data(32, 16);

/**
 * Digests of `count` messages of `len` bytes laid end to end at `src`, written
 * end to end at `dst`. Overwrites up to PAD_SLACK bytes past the messages.
 */
export function digestManyInto(src: usize, count: i32, len: i32, dst: usize): void {
  let first = 0;
  if (ASC_FEATURE_SIMD) {
    for (; first + 4 <= count; first += 4) digest4(src + <usize>first * <usize>len, len, dst + (<usize>first << 5));
  }
  for (let m = count - 1; m >= first; m--) {
    const message = src + <usize>m * <usize>len;
    const blocks = padInPlace(message, len, 0);
    memory.copy(MANY_STATE, H0, 32);
    compress(MANY_STATE, message, blocks);
    writeDigest(MANY_STATE, dst + (<usize>m << 5));
  }
}
