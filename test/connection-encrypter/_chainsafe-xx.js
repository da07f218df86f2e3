// Drives @chainsafe/libp2p-noise v17's own XXHandshakeState (its internal
// dist/src/protocol.js: the real package code) with fixed keys, to produce
// reference transcripts for our HandshakeState. Node only.
import { Uint8ArrayList } from 'uint8arraylist'

const base = new URL('./', import.meta.resolve('@chainsafe/libp2p-noise'))
const { XXHandshakeState, ZEROLEN } = await import(new URL('protocol.js', base).href)
const { wrapCrypto } = await import(new URL('crypto.js', base).href)
const { defaultCrypto } = await import(new URL('crypto/index.js', base).href)

/**
 * keys: { initiatorStatic, initiatorEphemeral, responderStatic, responderEphemeral }, each { privateKey, publicKey };
 * payloads: the three handshake payloads; transport: plaintexts encrypted in each direction after Split().
 */
export function chainsafeTranscript (keys, payloads, transport) {
  const cryptoWith = ephemeral => wrapCrypto({ ...defaultCrypto, generateX25519KeyPair: () => ephemeral })
  const common = { protocolName: 'Noise_XX_25519_ChaChaPoly_SHA256', prologue: new Uint8Array(0) }
  const initiator = new XXHandshakeState({ ...common, crypto: cryptoWith(keys.initiatorEphemeral), initiator: true, s: keys.initiatorStatic })
  const responder = new XXHandshakeState({ ...common, crypto: cryptoWith(keys.responderEphemeral), initiator: false, s: keys.responderStatic })
  const m1 = initiator.writeMessageA(payloads[0]).subarray()
  responder.readMessageA(new Uint8ArrayList(m1))
  const m2 = responder.writeMessageB(payloads[1]).subarray()
  initiator.readMessageB(new Uint8ArrayList(m2))
  const m3 = initiator.writeMessageC(payloads[2]).subarray()
  responder.readMessageC(new Uint8ArrayList(m3))
  const [c1, c2] = initiator.ss.split()
  return {
    messages: [m1, m2, m3],
    handshakeHash: initiator.ss.h,
    toResponder: transport.map(p => c1.encryptWithAd(ZEROLEN, p)),
    toInitiator: transport.map(p => c2.encryptWithAd(ZEROLEN, p))
  }
}
