// The basic node plus the pure-JS Ed25519/X25519 (@noble/curves) for browsers whose WebCrypto lacks them.
import { createNode, enableCurveFallback, nobleCurves } from 'wasp2p'

enableCurveFallback(nobleCurves)
const node = await createNode({ listen: [] })
globalThis.pingPeer = async (addr) => await node.ping(addr)
