// Noise-specific behaviour beyond the generic compliance suite: the libp2p
// handshake payload codec, muxer selection, peers that lie about their
// identity, the handshake timeout, exact error names, framing limits, and
// backpressure through the secured stream.
import { x25519 } from '@noble/curves/ed25519.js'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  noise, MAX_PLAINTEXT_LENGTH, NoiseHandshakeError, NoiseInvalidSignatureError as InvalidSignatureError, UnexpectedPeerError
} from '../../dist/index.js'
import { publicKeyToProtobuf } from '../../dist/index.js'
import { CipherState } from '../../dist/connection-encrypter/noise/cipher-state.js'
import { HandshakeState } from '../../dist/connection-encrypter/noise/handshake-state.js'
import { NoiseSecuredStream } from '../../dist/connection-encrypter/noise/secured-stream.js'
import { selectStreamMuxer } from '../../dist/connection-encrypter/noise/muxer-negotiation.js'
import { decodePayload, encodePayload } from '../../dist/connection-encrypter/noise/payload.js'
import { ByteReader } from '../../dist/stream/byte-reader.js'
import { duplexPair } from '../helpers/duplex-pair.js'
import { createIdentity } from './_identity.js'
import { connect, patternBytes, readBytes, settle } from './compliance.js'
import { enableKeyTypes, secp256k1Keys, ecdsaKeys, rsaKeys } from '../../dist/index.js'

// Node enables every key type by default; a browser bundle only Ed25519 until asked (src/keys/registry.ts).
enableKeyTypes(secp256k1Keys, ecdsaKeys, rsaKeys)

const encoder = new TextEncoder()
const PREFIX = encoder.encode('noise-libp2p-static-key:')
const concat = (...parts) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let o = 0; for (const p of parts) { out.set(p, o); o += p.length } return out }
const frame = message => concat(Uint8Array.of(message.length >> 8, message.length & 0xff), message)

// ---- payload codec ---------------------------------------------------------

test('payload: round trip with and without extensions', () => {
  const full = { identityKey: patternBytes(36, 1), identitySig: patternBytes(64, 2), extensions: { webtransportCerthashes: [patternBytes(34, 3)], streamMuxers: ['/yamux/1.0.0', '/mplex/6.7.0'] } }
  assert.equal(decodePayload(encodePayload(full)), full)
  const bare = { identityKey: patternBytes(36, 1), identitySig: patternBytes(64, 2) }
  assert.equal(decodePayload(encodePayload(bare)), bare)
  assert.equal(decodePayload(encodePayload({ ...bare, extensions: { webtransportCerthashes: [], streamMuxers: [] } })), bare)
})

test('payload: unknown fields of every wire type are skipped', () => {
  const known = encodePayload({ identityKey: Uint8Array.of(1, 2), identitySig: Uint8Array.of(3), extensions: { webtransportCerthashes: [], streamMuxers: ['/m'] } })
  const unknown = Uint8Array.of(
    0x18, 0x96, 0x01, // field 3 varint 150
    0x2d, 1, 2, 3, 4, // field 5 fixed32
    0x31, 1, 2, 3, 4, 5, 6, 7, 8, // field 6 fixed64
    0x4a, 2, 9, 9 // field 9 bytes
  )
  const decoded = decodePayload(concat(unknown, known, unknown))
  assert.equal(decoded.identityKey, Uint8Array.of(1, 2))
  assert.equal(decoded.extensions.streamMuxers, ['/m'])
})

test('payload: earlyFin (wasp2p, field 1913) round trips; another wire type on that field is skipped', () => {
  const withFlag = { identityKey: patternBytes(36, 1), identitySig: patternBytes(64, 2), extensions: { webtransportCerthashes: [], streamMuxers: [], earlyFin: true } }
  assert.equal(decodePayload(encodePayload(withFlag)), withFlag)
  // extensions { field 1913, bytes "ab" }: tag (1913 << 3 | 2) = 0x3bca → varint ca 77
  const otherType = concat(encodePayload({ identityKey: Uint8Array.of(1), identitySig: Uint8Array.of(2) }), Uint8Array.of(0x22, 5, 0xca, 0x77, 2, 0x61, 0x62))
  assert.is(decodePayload(otherType).extensions.earlyFin, undefined)
})

test('handshake: both wasp2p sides learn the other keeps an early FIN (SecuredConnection.earlyFin)', async () => {
  const { outbound, inbound } = await connect(noise())
  assert.is(outbound.value.earlyFin, true)
  assert.is(inbound.value.earlyFin, true)
})

test('payload: repeated extensions messages merge, like protobuf', () => {
  const a = encodePayload({ identityKey: Uint8Array.of(1), identitySig: Uint8Array.of(2), extensions: { webtransportCerthashes: [], streamMuxers: ['/a'] } })
  const b = encodePayload({ identityKey: Uint8Array.of(1), identitySig: Uint8Array.of(2), extensions: { webtransportCerthashes: [], streamMuxers: ['/b'] } })
  assert.equal(decodePayload(concat(a, b)).extensions.streamMuxers, ['/a', '/b'])
})

test('payload: malformed input is a NoiseHandshakeError, never a crash', () => {
  const valid = encodePayload({ identityKey: patternBytes(36, 1), identitySig: patternBytes(64, 2), extensions: { webtransportCerthashes: [], streamMuxers: ['/yamux/1.0.0'] } })
  const bad = [
    valid.subarray(0, valid.length - 1), // truncated
    Uint8Array.of(0x0a), // key without length
    Uint8Array.of(0x0a, 0x80), // truncated varint
    Uint8Array.of(0x0b), // group start (wire type 3)
    Uint8Array.of(0x02, 0x00), // field 0
    Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), // over-long varint
    concat(Uint8Array.of(0x22, 3), Uint8Array.of(0x12, 1, 0xff)), // muxer name not UTF-8
    encodePayload({ identityKey: Uint8Array.of(1), identitySig: Uint8Array.of(2), extensions: { webtransportCerthashes: [], streamMuxers: Array.from({ length: 65 }, (_, i) => `/m/${i}`) } })
  ]
  for (const input of bad) {
    assert.throws(() => decodePayload(input), err => err instanceof NoiseHandshakeError, `input ${Array.from(input.subarray(0, 12))}`)
  }
  // Random mutations of a valid encoding: either decodes or throws the named error.
  for (let i = 0; i < 2000; i++) {
    const mutated = valid.slice()
    const r = patternBytes(3, i + 1)
    mutated[r[0] % mutated.length] = r[1]
    try { decodePayload(mutated.subarray(0, mutated.length - (r[2] % 4))) } catch (err) { assert.instance(err, NoiseHandshakeError) }
  }
})

// ---- muxer selection -------------------------------------------------------

test('selectStreamMuxer follows the initiator\'s preference', () => {
  assert.is(selectStreamMuxer(['/yamux/1.0.0', '/mplex/6.7.0'], ['/mplex/6.7.0', '/yamux/1.0.0']), '/yamux/1.0.0')
  assert.is(selectStreamMuxer(['/x', '/mplex/6.7.0'], ['/yamux/1.0.0', '/mplex/6.7.0']), '/mplex/6.7.0')
  assert.is(selectStreamMuxer([], ['/yamux/1.0.0']), undefined)
  assert.is(selectStreamMuxer(['/yamux/1.0.0'], []), undefined)
  assert.throws(() => selectStreamMuxer(['/a'], ['/b']), err => err.name === 'NoCommonMuxerError' && err instanceof NoiseHandshakeError)
})

// ---- peers that lie ----------------------------------------------------------

/**
 * A hand-driven responder: runs XX with HandshakeState and sends `payloadFor(staticPublicKey)` in message 2.
 * Returns what our dialer's secureOutbound did.
 */
async function dialMaliciousResponder (payloadFor, dialerOptions = {}) {
  const dialer = await createIdentity()
  const [ours, theirs] = duplexPair()
  const dialing = settle(noise().secureOutbound(ours, { privateKey: dialer.privateKey, ...dialerOptions }))
  const staticKeyPair = await generateX25519()
  const state = new HandshakeState({ initiator: false, staticKeyPair })
  const reader = new ByteReader(theirs)
  await state.readMessage(await reader.readUint16Prefixed())
  await theirs.write(frame(await state.writeMessage(await payloadFor(staticKeyPair.publicKey))))
  return { result: await dialing, ours }
}

async function generateX25519 () {
  const privateKey = x25519.utils.randomSecretKey()
  return { privateKey, publicKey: x25519.getPublicKey(privateKey) }
}

test('a responder whose signature covers a different static key: InvalidSignatureError', async () => {
  const liar = await createIdentity()
  const { result, ours } = await dialMaliciousResponder(async () => {
    const other = await generateX25519()
    return encodePayload({ identityKey: publicKeyToProtobuf(liar.privateKey.publicKey), identitySig: await liar.privateKey.sign(concat(PREFIX, other.publicKey)) })
  })
  assert.instance(result.error, InvalidSignatureError)
  assert.is(result.error.name, 'InvalidSignatureError')
  assert.ok(ours.abortedWith !== undefined)
})

test('a responder presenting someone else\'s identity key with its own signature: InvalidSignatureError', async () => {
  const liar = await createIdentity()
  const victim = await createIdentity()
  const { result } = await dialMaliciousResponder(async staticKey => encodePayload({
    identityKey: publicKeyToProtobuf(victim.privateKey.publicKey),
    identitySig: await liar.privateKey.sign(concat(PREFIX, staticKey))
  }), { remotePeer: victim.peerId })
  assert.is(result.error?.name, 'InvalidSignatureError')
})

test('a responder with no signature, no identity key, or an undecodable key: InvalidSignatureError', async () => {
  const liar = await createIdentity()
  for (const make of [
    async () => encodePayload({ identityKey: publicKeyToProtobuf(liar.privateKey.publicKey), identitySig: new Uint8Array(0) }),
    async staticKey => encodePayload({ identityKey: new Uint8Array(0), identitySig: await liar.privateKey.sign(concat(PREFIX, staticKey)) }),
    async staticKey => encodePayload({ identityKey: patternBytes(36, 4), identitySig: await liar.privateKey.sign(concat(PREFIX, staticKey)) }),
    async () => new Uint8Array(0)
  ]) {
    const { result } = await dialMaliciousResponder(make)
    assert.is(result.error?.name, 'InvalidSignatureError')
  }
})

test('an honest responder driven by hand is accepted (the harness above is sound)', async () => {
  const honest = await createIdentity()
  const { result } = await dialMaliciousResponder(async staticKey => encodePayload({
    identityKey: publicKeyToProtobuf(honest.privateKey.publicKey),
    identitySig: await honest.privateKey.sign(concat(PREFIX, staticKey))
  }), { remotePeer: honest.peerId })
  assert.is(result.error, undefined)
  assert.ok(result.value.remotePeer.equals(honest.peerId))
})

test('an initiator whose message-3 signature is wrong: our responder fails with InvalidSignatureError', async () => {
  const listener = await createIdentity()
  const liar = await createIdentity()
  const [ours, theirs] = duplexPair()
  const accepting = settle(noise().secureInbound(ours, { privateKey: listener.privateKey }))
  const staticKeyPair = await generateX25519()
  const state = new HandshakeState({ initiator: true, staticKeyPair })
  const reader = new ByteReader(theirs)
  await theirs.write(frame(await state.writeMessage(new Uint8Array(0))))
  await state.readMessage(await reader.readUint16Prefixed())
  const other = await generateX25519()
  await theirs.write(frame(await state.writeMessage(encodePayload({
    identityKey: publicKeyToProtobuf(liar.privateKey.publicKey),
    identitySig: await liar.privateKey.sign(concat(PREFIX, other.publicKey))
  }))))
  const { error } = await accepting
  assert.is(error?.name, 'InvalidSignatureError')
})

test('every identity key type authenticates: Ed25519, secp256k1, ECDSA, RSA (both roles)', async () => {
  const encrypter = noise()
  for (const type of ['Ed25519', 'secp256k1', 'ECDSA', 'RSA']) {
    const a = await createIdentity(type)
    const b = await createIdentity(type === 'RSA' ? 'Ed25519' : type)
    const [x, y] = duplexPair()
    const [outbound, inbound] = await Promise.all([
      encrypter.secureOutbound(x, { privateKey: a.privateKey, remotePeer: b.peerId }),
      encrypter.secureInbound(y, { privateKey: b.privateKey })
    ])
    assert.ok(outbound.remotePeer.equals(b.peerId), type)
    assert.ok(inbound.remotePeer.equals(a.peerId), type)
    assert.is(inbound.remotePeer.type, type)
  }
})

test('fuzz: one corrupted byte in any handshake message fails the handshake with named errors (90 runs)', async () => {
  const encrypter = noise({ handshakeTimeoutMs: 2000 })
  for (let run = 0; run < 90; run++) {
    const target = run % 3 // which handshake message to corrupt
    const [r1, r2] = patternBytes(2, run + 1)
    let seen = 0
    const intercept = (from, chunk) => {
      if (seen++ === target) {
        const position = 2 + (r1 * 256 + r2) % (chunk.length - 2) // keep the length prefix
        chunk[position] ^= 1 + (r2 % 255)
      }
      return chunk
    }
    const { outbound, inbound } = await connect(encrypter, { intercept })
    assert.ok(inbound.error instanceof NoiseHandshakeError, `run ${run}: listener ${inbound.error}`)
    if (target < 2) {
      assert.ok(outbound.error instanceof NoiseHandshakeError, `run ${run}: dialer ${outbound.error}`)
    } else {
      // The initiator is done once it has sent message 3 (XX); it learns of the failure as a dead connection.
      const { error } = await settle(readBytes(outbound.value.stream, 1))
      assert.instance(error, Error, `run ${run}: the dialer's channel fails`)
    }
    assert.not.ok(inbound.error instanceof Error && inbound.error.name === 'NoiseHandshakeTimeoutError', `run ${run}: no stall`)
  }
})

test('a private key that fails to sign: NoiseHandshakeError, and the next handshake signs afresh', async () => {
  const real = await createIdentity()
  let failures = 1
  const flaky = {
    type: real.privateKey.type,
    raw: real.privateKey.raw,
    publicKey: real.privateKey.publicKey,
    sign: async data => { if (failures-- > 0) throw new Error('HSM unavailable'); return await real.privateKey.sign(data) }
  }
  const encrypter = noise()
  const first = await connect(encrypter, { dialerOptions: { privateKey: flaky } })
  assert.instance(first.outbound.error, NoiseHandshakeError)
  const second = await connect(encrypter, { dialerOptions: { privateKey: flaky } })
  assert.is(second.outbound.error, undefined)
  assert.ok(second.inbound.value.remotePeer.equals(real.peerId))
})

// ---- exact error names through the encrypter ---------------------------------

test('error names: UnexpectedPeerError, NoCommonMuxerError, NoiseDecryptionError', async () => {
  const impostor = await createIdentity()
  const mismatch = await connect(noise(), { dialerOptions: { remotePeer: impostor.peerId } })
  assert.instance(mismatch.outbound.error, UnexpectedPeerError)
  assert.instance(mismatch.inbound.error, NoiseHandshakeError)

  const disjoint = await connect(noise(), { dialerOptions: { streamMuxers: ['/a'] }, listenerOptions: { streamMuxers: ['/b'] } })
  assert.is(disjoint.outbound.error?.name, 'NoCommonMuxerError')
  assert.instance(disjoint.inbound.error, NoiseHandshakeError)

  let tamper = false
  const tampered = await connect(noise(), { intercept: (from, chunk) => { if (tamper) { tamper = false; chunk[5] ^= 4 } return chunk } })
  tamper = true
  const reading = settle(readBytes(tampered.inbound.value.stream, 100))
  await tampered.outbound.value.stream.write(patternBytes(100, 1))
  const { error } = await reading
  assert.is(error?.name, 'NoiseDecryptionError')
  assert.ok(error instanceof Error)
  assert.is(tampered.listenerConn.abortedWith, error)
})

// ---- timeout and abort ---------------------------------------------------------

test('a silent peer: NoiseHandshakeTimeoutError after handshakeTimeoutMs, connection aborted', async () => {
  const dialer = await createIdentity()
  const [ours] = duplexPair()
  const started = Date.now()
  const { error } = await settle(noise({ handshakeTimeoutMs: 60 }).secureOutbound(ours, { privateKey: dialer.privateKey }))
  assert.is(error?.name, 'NoiseHandshakeTimeoutError')
  assert.instance(error, NoiseHandshakeError)
  assert.ok(Date.now() - started >= 50)
  assert.is(ours.abortedWith, error)
})

test('a peer announcing a long frame and stalling: NoiseHandshakeTimeoutError (not a hang)', async () => {
  const listener = await createIdentity()
  const [ours, theirs] = duplexPair()
  const accepting = settle(noise({ handshakeTimeoutMs: 60 }).secureInbound(ours, { privateKey: listener.privateKey }))
  await theirs.write(Uint8Array.of(0xff, 0xff, 1, 2, 3))
  const { error } = await accepting
  assert.is(error?.name, 'NoiseHandshakeTimeoutError')
})

test('an abort signal: NoiseHandshakeAbortedError carrying the reason', async () => {
  const dialer = await createIdentity()
  const [ours] = duplexPair()
  const controller = new AbortController()
  const dialing = settle(noise().secureOutbound(ours, { privateKey: dialer.privateKey, signal: controller.signal }))
  const reason = new Error('user gave up')
  setTimeout(() => controller.abort(reason), 10)
  const { error } = await dialing
  assert.is(error?.name, 'NoiseHandshakeAbortedError')
  assert.is(error.cause, reason)
})

test('handshakeTimeoutMs must be positive', () => {
  assert.throws(() => noise({ handshakeTimeoutMs: 0 }), RangeError)
  assert.throws(() => noise({ handshakeTimeoutMs: -5 }), RangeError)
})

// ---- transport framing and backpressure ----------------------------------------

test('framing: a write of 65520 bytes goes out as a full 65535-byte frame plus a 17-byte frame', async () => {
  let capture = false
  const wire = []
  const { outbound, inbound } = await connect(noise(), { intercept: (from, chunk) => { if (capture && from === 'a') wire.push(chunk); return chunk } })
  capture = true
  const data = patternBytes(MAX_PLAINTEXT_LENGTH + 1, 3)
  await Promise.all([readBytes(inbound.value.stream, data.length), outbound.value.stream.write(data)])
  const bytes = concat(...wire)
  const lengths = []
  for (let offset = 0; offset < bytes.length;) {
    const length = (bytes[offset] << 8) | bytes[offset + 1]
    lengths.push(length)
    offset += 2 + length
  }
  assert.equal(lengths, [65535, 17])
})

test('a connection that ends inside a transport frame: TruncatedFrameError', async () => {
  let cut = false
  const { outbound, inbound, dialerConn } = await connect(noise(), { intercept: (from, chunk) => cut && from === 'a' ? chunk.subarray(0, chunk.length - 3) : chunk })
  cut = true
  const reading = settle(readBytes(inbound.value.stream, 50))
  await outbound.value.stream.write(patternBytes(50, 1))
  await dialerConn.closeWrite()
  const { error } = await reading
  assert.is(error?.name, 'TruncatedFrameError')
})

test('backpressure: a secured write resolves only when the connection accepts the bytes', async () => {
  const { outbound, inbound, dialerConn } = await connect(noise())
  let release
  const gate = new Promise(resolve => { release = resolve })
  const originalWrite = dialerConn.write.bind(dialerConn)
  dialerConn.write = async chunk => { await gate; return await originalWrite(chunk) }
  let done = false
  const writing = outbound.value.stream.write(patternBytes(1000, 1)).then(() => { done = true })
  await new Promise(resolve => setTimeout(resolve, 20))
  assert.not.ok(done, 'the write waits for the connection')
  release()
  await writing
  assert.ok(done)
  assert.equal(await readBytes(inbound.value.stream, 1000), patternBytes(1000, 1))
})

test('empty writes send nothing; a later write still decrypts (nonces stay in step)', async () => {
  const { outbound, inbound, dialerConn } = await connect(noise())
  const before = dialerConn.bytesWritten
  await outbound.value.stream.write(new Uint8Array(0))
  assert.is(dialerConn.bytesWritten, before)
  await outbound.value.stream.write(Uint8Array.of(42))
  assert.equal(await readBytes(inbound.value.stream, 1), Uint8Array.of(42))
})

test('transport bytes arriving in the same chunk as message 3 are not lost', async () => {
  // Hold the dialer's message 3 and deliver it glued to its first transport frame,
  // so the responder's handshake reader has transport bytes buffered when it finishes.
  let fromDialer = 0
  let held
  const intercept = (from, chunk) => {
    if (from !== 'a') return chunk
    fromDialer++
    if (fromDialer === 2) { held = chunk; return undefined }
    if (fromDialer === 3) return concat(held, chunk)
    return chunk
  }
  const dialer = await createIdentity()
  const listener = await createIdentity()
  const [a, b] = duplexPair({ intercept })
  const encrypter = noise()
  const accepting = encrypter.secureInbound(b, { privateKey: listener.privateKey })
  const outbound = await encrypter.secureOutbound(a, { privateKey: dialer.privateKey })
  const data = patternBytes(5000, 8)
  await outbound.stream.write(data)
  const inbound = await accepting
  assert.is(fromDialer, 3)
  assert.equal(await readBytes(inbound.stream, data.length), data)
})

test('nonce exhaustion on the secured stream: NonceExhaustedError and the connection aborted', async () => {
  const [a, b] = duplexPair()
  const key = patternBytes(32, 77)
  const cipher = nonce => { const c = new CipherState(); c.initializeKey(key); c.setNonce(nonce); return c }
  const sender = new NoiseSecuredStream(a, a, cipher(0xfffffffffffffffdn), cipher(0n))
  const receiver = new NoiseSecuredStream(b, b, cipher(0n), cipher(0xfffffffffffffffdn))
  await sender.write(Uint8Array.of(1))
  await sender.write(Uint8Array.of(2))
  assert.equal(await readBytes(receiver, 2), Uint8Array.of(1, 2))
  const { error } = await settle(sender.write(Uint8Array.of(3)))
  assert.is(error?.name, 'NonceExhaustedError')
  assert.is(a.abortedWith, error)
})

test('a low-order (all-zero) ephemeral key in message 1 fails the handshake with a named error', async () => {
  const listener = await createIdentity()
  const [ours, theirs] = duplexPair()
  const accepting = settle(noise({ handshakeTimeoutMs: 200 }).secureInbound(ours, { privateKey: listener.privateKey }))
  await theirs.write(frame(new Uint8Array(32)))
  const { error } = await accepting
  // X25519 may refuse the point (NoiseHandshakeError) or yield zeros (Noise §12.1); either way no handshake completes.
  assert.instance(error, NoiseHandshakeError)
})

test.run()
