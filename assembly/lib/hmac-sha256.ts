// HMAC-SHA256 (RFC 2104 §2) and HKDF-SHA256 (RFC 5869 §2) inside the kernel,
// so that one WASM call does a whole MAC or a whole key derivation: Noise runs
// HKDF several times per handshake on inputs of a few dozen bytes, where the
// cost of crossing into WASM per hash would dominate.
//
// The key is absorbed once: the states after the first (ipad) and (opad)
// blocks are kept, and every MAC under that key resumes from them, so each
// HKDF expansion block costs 2 compressions instead of 4. The outer hash's
// last block is padded once, at compile time (OUTER_BLOCK).

import { compress } from './sha256-compress';
import { H0 } from './sha256-constants';
import { ctxAbsorb, ctxFinish, ctxInit, ctxResume, writeDigest } from './sha256-context';
import { padInPlace } from './sha256-pad';
import { wipeSchedule } from './sha256-simd';

const INNER_STATE: usize = memory.data(32, 16);
const OUTER_STATE: usize = memory.data(32, 16);
const PAD: usize = memory.data(64, 16);
const HASHED_KEY: usize = memory.data(32, 16);
const MAC_STATE: usize = memory.data(32, 16);

/**
 * The outer hash's only block after the opad block: the inner digest, then
 * padding for a 96-byte message (0x80, zeros, bit length 768), which never
 * changes and so is written once.
 */
const OUTER_BLOCK: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x03, 0x00,
], 16);
/** The context every HMAC computation runs in (not the exported streaming one). */
const MAC_CONTEXT: usize = memory.data(128, 16);

/** Derives the ipad and opad mid-states of a key of `len` bytes at `key`. */
export function hmacSetKey(key: usize, len: i32): void {
  if (len > 64) {
    // RFC 2104 §2: keys longer than the block size are replaced by their hash.
    ctxInit(MAC_CONTEXT);
    ctxAbsorb(MAC_CONTEXT, key, len);
    ctxFinish(MAC_CONTEXT, HASHED_KEY);
    key = HASHED_KEY;
    len = 32;
  }
  // The key, zero-padded to a block, XOR ipad then (XOR ipad XOR opad) opad, eight bytes at a time.
  memory.copy(PAD, key, len);
  memory.fill(PAD + <usize>len, 0, 64 - len);
  xorBlock(0x3636363636363636);
  memory.copy(INNER_STATE, H0, 32);
  compress(INNER_STATE, PAD, 1);
  xorBlock(0x3636363636363636 ^ 0x5c5c5c5c5c5c5c5c);
  memory.copy(OUTER_STATE, H0, 32);
  compress(OUTER_STATE, PAD, 1);
  // PAD is the key XOR a constant: do not leave it lying in linear memory.
  memory.fill(PAD, 0, 64);
}

function xorBlock(mask: u64): void {
  for (let i: usize = 0; i < 64; i += 8) store<u64>(PAD + i, load<u64>(PAD + i) ^ mask);
}

/** Starts the inner hash of a MAC under the current key; absorb the message into MAC_CONTEXT next. */
export function hmacBegin(): void {
  ctxResume(MAC_CONTEXT, INNER_STATE, 64);
}

/** Finishes the MAC begun by hmacBegin() and writes the 32-byte tag to `dst`. */
export function hmacEnd(dst: usize): void {
  ctxFinish(MAC_CONTEXT, OUTER_BLOCK);
  outerHash(dst);
}

function outerHash(dst: usize): void {
  memory.copy(MAC_STATE, OUTER_STATE, 32);
  compress(MAC_STATE, OUTER_BLOCK, 1);
  writeDigest(MAC_STATE, dst);
}

/** HMAC under the current key of `len` bytes at `src`, which it pads in place (see sha256-pad.ts). */
export function hmacInPlace(src: usize, len: i32, dst: usize): void {
  const blocks = padInPlace(src, len, 64);
  memory.copy(MAC_STATE, INNER_STATE, 32);
  compress(MAC_STATE, src, blocks);
  writeDigest(MAC_STATE, OUTER_BLOCK);
  outerHash(dst);
}

/** HMAC under the current key of `len` bytes at `src`, tag to `dst`. */
export function hmacMessage(src: usize, len: i32, dst: usize): void {
  hmacBegin();
  ctxAbsorb(MAC_CONTEXT, src, len);
  hmacEnd(dst);
}

const COUNTER: usize = memory.data(4, 4);
const PRK: usize = memory.data(32, 16);

/**
 * Zeroes everything a MAC or a key derivation left behind: the ipad/opad
 * mid-states (as good as the key), the PRK, the hashed key, the inner digest
 * in OUTER_BLOCK (its constant padding stays) and the SIMD message schedule.
 * The exported hmac() and hkdf() call it last, so no key material outlives a call.
 */
export function hmacWipe(): void {
  memory.fill(INNER_STATE, 0, 32); memory.fill(OUTER_STATE, 0, 32); memory.fill(MAC_STATE, 0, 32);
  memory.fill(HASHED_KEY, 0, 32); memory.fill(PRK, 0, 32); memory.fill(MAC_CONTEXT, 0, 128);
  memory.fill(OUTER_BLOCK, 0, 32);
  store<u32>(COUNTER, 0);
  if (ASC_FEATURE_SIMD) wipeSchedule();
}

/**
 * HKDF-SHA256: Extract (PRK = HMAC(salt, ikm)) then Expand to `length` bytes
 * at `dst` (T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i), RFC 5869 §2.2–2.3).
 * `length` ≤ 255 · 32 is checked by the caller; T(i) are written in place at
 * dst, whose last block may run up to 31 bytes past `length`.
 */
export function hkdf(salt: usize, saltLen: i32, ikm: usize, ikmLen: i32, info: usize, infoLen: i32, dst: usize, length: i32): void {
  // An absent salt is HashLen zero bytes (§2.2), which pads to the same HMAC key as an empty one.
  hmacSetKey(salt, saltLen);
  hmacMessage(ikm, ikmLen, PRK);
  hmacSetKey(PRK, 32);
  let previous: usize = 0;
  for (let i = 1, written = 0; written < length; i++, written += 32) {
    hmacBegin();
    if (previous != 0) ctxAbsorb(MAC_CONTEXT, previous, 32);
    ctxAbsorb(MAC_CONTEXT, info, infoLen);
    store<u8>(COUNTER, <u8>i);
    ctxAbsorb(MAC_CONTEXT, COUNTER, 1);
    previous = dst + <usize>written;
    hmacEnd(previous);
  }
}
