// Noise XX handshake messages as received (Noise spec §5.3 ReadMessage,
// noise-libp2p "Handshake"): a responder reading message 1 (the initiator's
// ephemeral key and an empty payload) and an initiator reading message 2
// (ephemeral, encrypted static key, encrypted payload: two DH operations and
// two AEAD opens). Seeds are real messages from a fixed-key handshake, so
// mutations exercise the key, ciphertext and tag paths; the decrypted payload
// goes on to the payload decoder.
import { HandshakeState } from '../../dist/connection-encrypter/noise/handshake-state.js'
import { decodePayload, encodePayload } from '../../dist/connection-encrypter/noise/payload.js'
import { x25519 } from '../../dist/crypto/index.js'
import { generateKeyPair, publicKeyToProtobuf } from '../../dist/keys/index.js'
import { parseOrNamed, parseOrNamedAsync } from '../named.js'

const EMPTY = new Uint8Array(0)

export default {
  name: 'noise-handshake',
  covers: 'Noise XX handshake messages 1 and 2 (ReadMessage: ephemeral, encrypted static key, payload), then the payload decoder',
  async setup () {
    const keys = { si: x25519.generateKeyPairSync(), ei: x25519.generateKeyPairSync(), sr: x25519.generateKeyPairSync(), er: x25519.generateKeyPairSync() }
    const identity = publicKeyToProtobuf((await generateKeyPair('Ed25519')).publicKey)
    const seeds = []
    for (const extensions of [undefined, { webtransportCerthashes: [], streamMuxers: ['/yamux/1.0.0'] }]) {
      const initiator = new HandshakeState({ initiator: true, staticKeyPair: keys.si, ephemeralKeyPair: keys.ei })
      const responder = new HandshakeState({ initiator: false, staticKeyPair: keys.sr, ephemeralKeyPair: keys.er })
      const msg1 = await initiator.writeMessage(EMPTY)
      await responder.readMessage(msg1)
      const msg2 = await responder.writeMessage(encodePayload({ identityKey: identity, identitySig: new Uint8Array(64).fill(9), ...(extensions !== undefined ? { extensions } : {}) }))
      seeds.push(msg1, msg2)
    }
    return { seeds, ctx: keys }
  },
  async run (input, keys) {
    const responder = new HandshakeState({ initiator: false, staticKeyPair: keys.sr, ephemeralKeyPair: keys.er })
    await parseOrNamedAsync(() => responder.readMessage(input), 'responder readMessage (message 1)')
    const initiator = new HandshakeState({ initiator: true, staticKeyPair: keys.si, ephemeralKeyPair: keys.ei })
    await initiator.writeMessage(EMPTY)
    const payload = await parseOrNamedAsync(() => initiator.readMessage(input), 'initiator readMessage (message 2)')
    if (payload !== undefined) parseOrNamed(() => decodePayload(payload), 'decodePayload')
  }
}
