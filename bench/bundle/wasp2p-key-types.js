// The basic node plus the key types a browser bundle leaves out until asked: secp256k1, ECDSA, RSA.
import { createNode, enableKeyTypes, secp256k1Keys, ecdsaKeys, rsaKeys } from 'wasp2p'

enableKeyTypes(secp256k1Keys, ecdsaKeys, rsaKeys)
const node = await createNode({ listen: [] })
globalThis.pingPeer = async (addr) => await node.ping(addr)
