// Keys in the libp2p PublicKey / PrivateKey protobufs (peer-ids spec,
// "Keys"): Ed25519, secp256k1, ECDSA (DER) and RSA (DER), as received in
// identify, Noise payloads, envelopes and DHT /pk/ records.
import { generateKeyPair, publicKeyFromProtobuf, privateKeyFromProtobuf, publicKeyToProtobuf, privateKeyToProtobuf } from '../../dist/keys/index.js'
import { parseOrNamed, check } from '../named.js'

export default {
  name: 'keys',
  covers: 'public and private key protobufs (Ed25519, secp256k1, ECDSA, RSA)',
  async setup () {
    const seeds = []
    for (const type of ['Ed25519', 'secp256k1', 'ECDSA', 'RSA']) {
      const key = await generateKeyPair(type)
      seeds.push(publicKeyToProtobuf(key.publicKey))
      if (type !== 'RSA') seeds.push(privateKeyToProtobuf(key))
    }
    return { seeds, ctx: {} }
  },
  run (input) {
    const key = parseOrNamed(() => publicKeyFromProtobuf(input), 'publicKeyFromProtobuf')
    if (key !== undefined) {
      const again = publicKeyToProtobuf(key)
      check(again.length > 0, 'an accepted key re-encodes')
    }
    // Private keys never come from the network, but they come from files: same rule.
    if (input.length <= 200) parseOrNamed(() => privateKeyFromProtobuf(input), 'privateKeyFromProtobuf')
  }
}
