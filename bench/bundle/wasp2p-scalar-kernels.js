// The basic node (wasp2p-basic.js) plus the kernels' scalar WASM builds, for engines with WebAssembly but without its SIMD proposal.
import { createNode, init, activeBackend, enableScalarKernels, scalarKernels } from 'wasp2p'

enableScalarKernels(scalarKernels)
await init()
const node = await createNode({ listen: [] })
globalThis.wasp2p = {
  peerId: node.peerId.toString(),
  backend: activeBackend,
  ping: async (addr) => await node.ping(addr)
}
