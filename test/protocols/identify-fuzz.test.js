// Hostile input to identify: random bytes and mutated valid messages never crash the
// decoder or the initiator with anything but the named errors, and never pass a key
// check they should fail. Bounded: a few thousand small inputs.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import {
  encodeIdentify, decodeIdentify, identify,
  IdentifyMessageTooLargeError, InvalidIdentifyMessageError, IdentifyPeerMismatchError, IdentifyTimeoutError
} from '../../dist/protocols/identify/index.js'
import { MemoryPeerStore, MAX_ADDRESSES_PER_PEER, MAX_PROTOCOLS_PER_PEER } from '../../dist/peer-store/index.js'
import { encodeVarint } from '../../dist/stream/byte-reader.js'
import { streamPair, rejection } from '../helpers/stream-pair.js'
import { testPeer } from '../helpers/test-peer.js'

const ROUNDS = 2000
const NAMED = [IdentifyMessageTooLargeError, InvalidIdentifyMessageError, IdentifyPeerMismatchError, IdentifyTimeoutError]

// A small seeded PRNG (xorshift32) so a failure can be replayed.
function rng (seed) {
  let x = seed | 0 || 1
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 2 ** 32 }
}

function validMessage (peer) {
  return encodeIdentify({
    protocolVersion: 'ipfs/0.1.0',
    agentVersion: 'fuzz',
    publicKey: peer.publicKey,
    listenAddrs: [multiaddr('/ip4/10.0.0.1/tcp/1').bytes, multiaddr('/ip6/::1/udp/2/quic-v1').bytes],
    observedAddr: multiaddr('/ip4/192.0.2.1/tcp/3').bytes,
    protocols: ['/a/1', '/b/2'],
    signedPeerRecord: Uint8Array.of(1, 2, 3)
  })
}

function decodeOrNamed (bytes) {
  try {
    return decodeIdentify(bytes)
  } catch (err) {
    if (!NAMED.some(E => err instanceof E)) throw new Error(`unexpected ${err?.name}: ${err?.message} for ${[...bytes.subarray(0, 16)]}`)
    return undefined
  }
}

test('decodeIdentify on random bytes: a message or a named error', () => {
  const random = rng(1)
  for (let i = 0; i < ROUNDS; i++) {
    const bytes = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256))
    decodeOrNamed(bytes)
  }
})

test('decodeIdentify on mutated valid messages: a message or a named error, caps hold', () => {
  const random = rng(2)
  const base = validMessage(testPeer())
  for (let i = 0; i < ROUNDS; i++) {
    const bytes = base.slice()
    const flips = 1 + Math.floor(random() * 4)
    for (let f = 0; f < flips; f++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256)
    const cut = random() < 0.3 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes
    const message = decodeOrNamed(cut)
    if (message !== undefined) {
      assert.ok(message.listenAddrs.length <= 64 && message.protocols.length <= 128)
    }
  }
})

test('identify over a stream on mutated messages: only named errors; a changed key never passes', async () => {
  const random = rng(3)
  const peer = testPeer()
  const base = validMessage(peer)
  const peerStore = new MemoryPeerStore()
  for (let i = 0; i < 300; i++) {
    const body = base.slice()
    const at = Math.floor(random() * body.length)
    body[at] ^= 1 + Math.floor(random() * 255)
    const [out, inbound] = streamPair()
    ;(async () => { await inbound.write(Uint8Array.of(...encodeVarint(body.length), ...body)); await inbound.close() })().catch(() => {})
    try {
      const result = await identify(out, { connection: { remotePeer: peer.peerId }, peerStore, timeout: 1000 })
      // It decoded: then the key, if present, must still be the peer's own.
      if (result.publicKey !== undefined) assert.equal([...result.publicKey], [...peer.publicKey], `mutation at ${at} passed the key check`)
    } catch (err) {
      assert.ok(NAMED.some(E => err instanceof E), `unexpected ${err?.name}: ${err?.message}`)
    }
  }
  const stored = await peerStore.get(peer.peerId)
  if (stored !== undefined) {
    assert.ok(stored.addresses.length <= MAX_ADDRESSES_PER_PEER)
    assert.ok(stored.protocols.length <= MAX_PROTOCOLS_PER_PEER)
  }
})

test('a stream that ends at every possible byte is InvalidIdentifyMessageError', async () => {
  const peer = testPeer()
  const body = validMessage(peer)
  const framed = Uint8Array.of(...encodeVarint(body.length), ...body)
  for (let cut = 0; cut < framed.length; cut++) {
    const [out, inbound] = streamPair()
    ;(async () => { if (cut > 0) await inbound.write(framed.subarray(0, cut)); await inbound.close() })()
    const err = await rejection(identify(out, { connection: { remotePeer: peer.peerId } }))
    assert.instance(err, InvalidIdentifyMessageError, `cut at ${cut}`)
  }
})

test.run()
