// The basic node (wasp2p-basic.js) plus the pure-JS Ed25519/X25519 (@noble/curves) for browsers whose WebCrypto lacks them.
import { createNode, init, activeBackend, enableCurveFallback, nobleCurves } from 'wasp2p'

enableCurveFallback(nobleCurves)
await init()
const node = await createNode({ listen: [] })
globalThis.wasp2p = {
  peerId: node.peerId.toString(),
  backend: activeBackend,
  ping: async (addr) => await node.ping(addr)
}
