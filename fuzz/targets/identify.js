// The identify message (identify spec, "The Identify Message") as any peer
// sends it: versions, public key, listen and observed addresses, protocols,
// signed peer record; decodeIdentify enforces the size and count limits.
import { multiaddr } from '@multiformats/multiaddr'
import { encodeIdentify, decodeIdentify, MAX_IDENTIFY_ADDRESSES, MAX_IDENTIFY_PROTOCOLS } from '../../dist/protocols/identify/index.js'
import { generateKeyPair, publicKeyToProtobuf } from '../../dist/keys/index.js'
import { check, parseOrNamed } from '../named.js'

export default {
  name: 'identify',
  covers: 'identify message protobuf (decodeIdentify, with its limits)',
  async setup () {
    const publicKey = publicKeyToProtobuf((await generateKeyPair('Ed25519')).publicKey)
    return {
      seeds: [
        encodeIdentify({ listenAddrs: [], protocols: [] }),
        encodeIdentify({
          protocolVersion: 'ipfs/0.1.0', agentVersion: 'wasp2p/fuzz', publicKey,
          listenAddrs: [multiaddr('/ip4/10.0.0.1/tcp/4001').bytes, multiaddr('/ip6/::1/udp/4001/quic-v1').bytes, multiaddr('/dns4/example.com/tcp/443/wss').bytes],
          observedAddr: multiaddr('/ip4/192.0.2.1/tcp/3').bytes,
          protocols: ['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0', '/yamux/1.0.0'],
          signedPeerRecord: Uint8Array.of(1, 2, 3)
        })
      ],
      ctx: {}
    }
  },
  run (input) {
    const message = parseOrNamed(() => decodeIdentify(input), 'decodeIdentify')
    if (message === undefined) return
    check(message.listenAddrs.length <= MAX_IDENTIFY_ADDRESSES, `${message.listenAddrs.length} listen addresses passed the limit`)
    check(message.protocols.length <= MAX_IDENTIFY_PROTOCOLS, `${message.protocols.length} protocols passed the limit`)
    // What was accepted re-encodes and decodes to the same message.
    const again = decodeIdentify(encodeIdentify(message))
    check(again.protocols.join('\n') === message.protocols.join('\n'), 'protocols survive a round trip')
  }
}
