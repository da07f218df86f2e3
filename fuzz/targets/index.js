// Every fuzz target, by name: one per parser that takes bytes from the network.
import yamuxFrames from './yamux-frames.js'
import yamuxSession from './yamux-session.js'
import multistream from './multistream.js'
import noisePayload from './noise-payload.js'
import noiseHandshake from './noise-handshake.js'
import noiseTransport from './noise-transport.js'
import identify from './identify.js'
import dht from './dht.js'
import peerRecord from './peer-record.js'
import keys from './keys.js'
import multiaddr from './multiaddr.js'
import varint from './varint.js'

export const TARGETS = [yamuxFrames, yamuxSession, multistream, noisePayload, noiseHandshake, noiseTransport, identify, dht, peerRecord, keys, multiaddr, varint]

export function targetNamed (name) {
  const target = TARGETS.find(t => t.name === name)
  if (target === undefined) throw new Error(`no fuzz target "${name}"; targets: ${TARGETS.map(t => t.name).join(', ')}`)
  return target
}
