// Identity helpers for the encrypter tests, from the public API.
import { generateKeyPair, peerIdFromPrivateKey, peerIdFromString } from '../../dist/index.js'

export { peerIdFromString }

export async function createIdentity (type = 'Ed25519') {
  const privateKey = await generateKeyPair(type)
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey) }
}
