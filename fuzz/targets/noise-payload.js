// The Noise handshake payload (noise-libp2p spec, "The libp2p Handshake
// Payload"): identity key, signature and the extensions (stream muxers,
// WebTransport certhashes), as received inside handshake messages 2 and 3.
import { decodePayload, encodePayload } from '../../dist/connection-encrypter/noise/payload.js'
import { generateKeyPair, publicKeyToProtobuf } from '../../dist/keys/index.js'
import { check, parseOrNamed } from '../named.js'

export default {
  name: 'noise-payload',
  covers: 'Noise handshake payload protobuf (identity key, signature, extensions)',
  async setup () {
    const key = publicKeyToProtobuf((await generateKeyPair('Ed25519')).publicKey)
    const sig = new Uint8Array(64).fill(7)
    return {
      seeds: [
        encodePayload({ identityKey: key, identitySig: sig }),
        encodePayload({ identityKey: key, identitySig: sig, extensions: { webtransportCerthashes: [], streamMuxers: ['/yamux/1.0.0', '/mplex/6.7.0'] } }),
        encodePayload({ identityKey: key, identitySig: sig, extensions: { webtransportCerthashes: [new Uint8Array(34).fill(0x12)], streamMuxers: [] } })
      ],
      ctx: {}
    }
  },
  run (input) {
    const payload = parseOrNamed(() => decodePayload(input), 'decodePayload')
    if (payload === undefined) return
    check(payload.identityKey instanceof Uint8Array && payload.identitySig instanceof Uint8Array, 'payload fields are bytes')
    for (const m of payload.extensions?.streamMuxers ?? []) check(typeof m === 'string', 'muxer ids are strings')
  }
}
