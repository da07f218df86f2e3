// The upgrader suite with the real stack: Noise and yamux.
import { upgraderSuite } from './upgrader-suite.js'
import { noise } from '../../dist/connection-encrypter/noise/index.js'
import { yamux } from '../../dist/muxer/yamux/index.js'
import { generateKeyPair } from '../../dist/keys/index.js'
import { peerIdFromPrivateKey } from '../../dist/peer-id/index.js'

/** Noise, optionally announced under another protocol id (for the "no common protocol" case). */
function encrypter (protocol) {
  const real = noise()
  if (protocol === undefined) return real
  return { protocol, secureOutbound: (s, o) => real.secureOutbound(s, o), secureInbound: (s, o) => real.secureInbound(s, o) }
}

upgraderSuite('Noise + yamux', {
  encrypter,
  muxer: yamux,
  identity: async () => {
    const privateKey = await generateKeyPair('Ed25519')
    return { privateKey, peerId: peerIdFromPrivateKey(privateKey) }
  },
  plaintext: false
}).run()
