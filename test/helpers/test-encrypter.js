// A pass-through "encrypter" for upgrader tests only: exchanges peer ids and
// muxer lists in clear text, then hands over the stream unchanged. It lets
// the upgrader be tested without Noise; it secures nothing.
import { ByteReader } from '../../dist/stream/byte-reader.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** A stand-in PeerId: enough of the contract for upgrader tests. */
export function fakePeerId (name) {
  return {
    type: 'Ed25519',
    multihash: encoder.encode(name),
    publicKey: undefined,
    toString: () => name,
    toCID: () => { throw new Error('not needed') },
    equals: other => other != null && other.toString() === name
  }
}

export function fakePrivateKey (name) {
  return { type: 'Ed25519', raw: encoder.encode(name), publicKey: { type: 'Ed25519', raw: encoder.encode(name), verify: () => true, equals: () => false }, sign: () => new Uint8Array(64) }
}

async function exchange (stream, options, initiator) {
  const reader = new ByteReader(stream)
  const mine = encoder.encode(JSON.stringify({ peer: decoder.decode(options.privateKey.raw), muxers: options.streamMuxers ?? [] }))
  await stream.write(Uint8Array.from([mine.length >> 8, mine.length & 0xff, ...mine]))
  const theirs = JSON.parse(decoder.decode(await reader.readUint16Prefixed()))
  if (options.remotePeer !== undefined && options.remotePeer.toString() !== theirs.peer) {
    const err = new Error(`expected ${options.remotePeer.toString()}, got ${theirs.peer}`)
    err.name = 'UnexpectedPeerError'
    throw err
  }
  const initiatorList = initiator ? (options.streamMuxers ?? []) : theirs.muxers
  const responderList = initiator ? theirs.muxers : (options.streamMuxers ?? [])
  const streamMuxer = initiatorList.find(m => responderList.includes(m))
  return {
    remotePeer: fakePeerId(theirs.peer),
    ...(streamMuxer !== undefined ? { streamMuxer } : {}),
    stream: {
      [Symbol.asyncIterator]: () => reader.rest(),
      write: c => stream.write(c),
      closeWrite: () => stream.closeWrite(),
      close: () => stream.close(),
      abort: e => stream.abort(e)
    }
  }
}

export function testEncrypter (protocol = '/test-plaintext/1.0.0') {
  return {
    protocol,
    secureOutbound: (stream, options) => exchange(stream, options, true),
    secureInbound: (stream, options) => exchange(stream, options, false)
  }
}
