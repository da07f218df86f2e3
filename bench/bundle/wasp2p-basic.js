// The basic browser node, as a new user writes it: WebSocket dial, Noise, Yamux, identify, ping.
import { createNode } from 'wasp2p'

const node = await createNode({ listen: [] })
globalThis.pingPeer = async (addr) => await node.ping(addr)
