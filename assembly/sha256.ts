// SHA-256 kernel (FIPS 180-4 §6.2), with HMAC (RFC 2104) and HKDF (RFC 5869).
//
// Calling convention (shared by every wasp2p kernel): static regions in linear
// memory, exported as addresses; functions take only lengths; nothing is
// allocated at run time (`--runtime stub`). The JS side writes message bytes
// into INPUT and reads digests from OUTPUT.
//
// Streaming state lives in CONTEXT so that JS can park one hasher's state and
// load another's with a single 112-byte copy (src/crypto/_sha256-wasm.ts).
// One-shot digests, batches, HMAC and HKDF run in contexts of their own and
// never disturb CONTEXT.

import { compress } from './lib/sha256-compress';
import { H0 } from './lib/sha256-constants';
import { CONTEXT_BYTES, ctxAbsorb, ctxFinish, ctxInit, writeDigest } from './lib/sha256-context';
import { hkdf as hkdfInto, hmacInPlace, hmacSetKey, hmacWipe } from './lib/hmac-sha256';
import { digestManyInto } from './lib/sha256-many';
import { PAD_SLACK, padInPlace } from './lib/sha256-pad';

/** Bytes of message the JS side may place in INPUT per call. */
export const INPUT_CAPACITY: i32 = 65536;
/** Bytes available in OUTPUT: room for 2048 digests from digestMany. */
export const OUTPUT_CAPACITY: i32 = 65536;
/** Bytes of the streaming context: state(32) ‖ block(64) ‖ blockLen(4) ‖ pad(4) ‖ totalLen(8). */
export const CONTEXT_SIZE: i32 = CONTEXT_BYTES;

/** INPUT, with PAD_SLACK bytes after its capacity so that one-shot calls can pad in place. */
export const INPUT: usize = memory.data(INPUT_CAPACITY + PAD_SLACK, 16);
export const OUTPUT: usize = memory.data(OUTPUT_CAPACITY, 16);
export const CONTEXT: usize = memory.data(128, 16);

/** One-shot digests run in this state, so that they never disturb a streaming hash parked in CONTEXT. */
const ONE_SHOT_STATE: usize = memory.data(32, 16);

/** Resets CONTEXT to the initial hash value (FIPS 180-4 §5.3.3). */
export function init(): void {
  ctxInit(CONTEXT);
}

/** Absorbs INPUT[0..len) into CONTEXT. */
export function update(len: i32): void {
  ctxAbsorb(CONTEXT, INPUT, len);
}

/** Writes the digest of everything absorbed since init() to OUTPUT[0..32). */
export function final(): void {
  ctxFinish(CONTEXT, OUTPUT);
}

/**
 * One call per digest of INPUT[0..len) to OUTPUT[0..32), padding in place
 * (INPUT[len..] is overwritten); leaves CONTEXT as it was.
 */
export function digest(len: i32): void {
  const blocks = padInPlace(INPUT, len, 0);
  memory.copy(ONE_SHOT_STATE, H0, 32);
  compress(ONE_SHOT_STATE, INPUT, blocks);
  writeDigest(ONE_SHOT_STATE, OUTPUT);
}

/**
 * Hashes `count` independent messages of `len` bytes each, laid end to end in
 * INPUT, writing `count` digests end to end in OUTPUT. Used for batches of
 * equal-length keys (Kademlia key hashing). The SIMD build hashes four
 * messages per pass, one per 32-bit lane. INPUT is overwritten.
 */
export function digestMany(count: i32, len: i32): void {
  digestManyInto(INPUT, count, len, OUTPUT);
}

/**
 * HMAC-SHA256 with the key at INPUT[0..keyLen) over INPUT[keyLen..keyLen+dataLen);
 * tag to OUTPUT[0..32). Pads the data in place (INPUT past it is overwritten).
 * Afterwards the key, the data, their padding and every intermediate state are
 * zeroed; only the tag in OUTPUT remains, for the caller to copy and wipe.
 */
export function hmac(keyLen: i32, dataLen: i32): void {
  hmacSetKey(INPUT, keyLen);
  hmacInPlace(INPUT + <usize>keyLen, dataLen, OUTPUT);
  memory.fill(INPUT, 0, <usize>(keyLen + dataLen + PAD_SLACK));
  hmacWipe();
}

/**
 * HKDF-SHA256 of salt ‖ ikm ‖ info laid end to end in INPUT, writing `length`
 * bytes (at most 255 · 32, checked by the caller) to OUTPUT.
 */
export function hkdf(saltLen: i32, ikmLen: i32, infoLen: i32, length: i32): void {
  const ikm = INPUT + <usize>saltLen;
  const info = ikm + <usize>ikmLen;
  hkdfInto(INPUT, saltLen, ikm, ikmLen, info, infoLen, OUTPUT, length);
  // The ikm is the secret (a DH result in Noise): nothing of it, nor of the PRK, stays behind.
  memory.fill(INPUT, 0, <usize>(saltLen + ikmLen + infoLen));
  hmacWipe();
}
