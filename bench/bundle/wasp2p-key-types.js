// The basic node (wasp2p-basic.js) plus the key types a browser bundle leaves out until asked: secp256k1, ECDSA, RSA.
import { createNode, init, activeBackend, enableKeyTypes, secp256k1Keys, ecdsaKeys, rsaKeys } from 'wasp2p'

enableKeyTypes(secp256k1Keys, ecdsaKeys, rsaKeys)
await init()
const node = await createNode({ listen: [] })
globalThis.wasp2p = {
  peerId: node.peerId.toString(),
  backend: activeBackend,
  ping: async (addr) => await node.ping(addr)
}
