// Kademlia DHT messages and records (kad-dht spec, "RPC messages"): type,
// key, record, closer and provider peers with their addresses.
import { multiaddr } from '@multiformats/multiaddr'
import { decodeMessage, decodeRecord, dhtMessage, encodeMessage, encodeRecord, MessageType, ConnectionType, MAX_PEERS_PER_LIST, MAX_ADDRS_PER_PEER } from '../../dist/dht/message.js'
import { generateKeyPair } from '../../dist/keys/index.js'
import { peerIdFromPublicKey } from '../../dist/peer-id/index.js'
import { check, parseOrNamed } from '../named.js'

export default {
  name: 'dht',
  covers: 'Kademlia DHT message and record protobufs (decodeMessage, decodeRecord)',
  async setup () {
    const id = peerIdFromPublicKey((await generateKeyPair('Ed25519')).publicKey).multihash
    const peer = { id, addrs: [multiaddr('/ip4/10.0.0.1/tcp/4001').bytes, multiaddr('/ip6/::1/tcp/1').bytes], connection: ConnectionType.CONNECTED }
    const record = { key: new TextEncoder().encode('/pk/abc'), value: new Uint8Array(40).fill(3), timeReceived: '2026-01-01T00:00:00Z' }
    return {
      seeds: [
        encodeMessage(dhtMessage({ type: MessageType.FIND_NODE, key: id })),
        encodeMessage(dhtMessage({ type: MessageType.GET_VALUE, key: record.key, record, closerPeers: [peer, peer] })),
        encodeMessage(dhtMessage({ type: MessageType.GET_PROVIDERS, key: id, providerPeers: [peer], closerPeers: [peer] })),
        encodeRecord(record)
      ],
      ctx: {}
    }
  },
  run (input) {
    const message = parseOrNamed(() => decodeMessage(input), 'decodeMessage')
    if (message !== undefined) {
      check(message.closerPeers.length <= MAX_PEERS_PER_LIST && message.providerPeers.length <= MAX_PEERS_PER_LIST, 'peer lists within the limit')
      for (const p of [...message.closerPeers, ...message.providerPeers]) check(p.addrs.length <= MAX_ADDRS_PER_PEER, 'addresses per peer within the limit')
      parseOrNamed(() => decodeMessage(encodeMessage(message)), 're-decode of an accepted message')
    }
    parseOrNamed(() => decodeRecord(input), 'decodeRecord')
  }
}
