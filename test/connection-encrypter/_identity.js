// Identity helpers for the encrypter tests. INTERIM: they come from the Noise
// module's dependency shim until src/keys and src/peer-id are on main; then
// this file switches to the public API and no test changes.
import { generateKeyPair, peerIdFromPublicKey, peerIdFromString } from '../../dist/connection-encrypter/noise/_deps.js'

export { peerIdFromString }

export async function createIdentity () {
  const privateKey = await generateKeyPair('Ed25519')
  return { privateKey, peerId: peerIdFromPublicKey(privateKey.publicKey) }
}
