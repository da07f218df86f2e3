// A wasp2p node running service factories (relay server, relay transport)
// through the service contract (src/node/service.ts). Until the node runs
// services itself, this builds the ServiceHost over a Wasp2pNode: the host's
// addTransport appends to the node's own transport list (the dialer reads
// that list), and circuit listen addresses go in `listen` after the direct
// ones, so the node listens on them with the relay transport at start.
import { Wasp2pNode, generateKeyPair, tcp, webSockets } from '../../../dist/index.js'
import { ServiceRunner } from '../../../dist/node/service-runner.js'

export async function startRelayNode ({ listen = ['/ip4/127.0.0.1/tcp/0'], services = {}, privateKey, connectionManager } = {}) {
  const key = privateKey ?? await generateKeyPair('Ed25519')
  const transports = [tcp(), webSockets()]
  // Loopback tests open many connections from one host.
  const cm = connectionManager ?? { allow: ['/ip4/127.0.0.0/ipcidr/8'] }
  const node = new Wasp2pNode(key, { listen, transports, start: false, connectionManager: cm })
  const host = {
    get peerId () { return node.peerId },
    get privateKey () { return node.privateKey },
    get peerStore () { return node.peerStore },
    get services () { return runner.instances },
    get isStarted () { return node.isStarted },
    handle: (p, h, o) => node.handle(p, h, o),
    unhandle: p => node.unhandle(p),
    getProtocols: () => node.getProtocols(),
    getMultiaddrs: () => node.getMultiaddrs(),
    getConnections: peer => node.getConnections(peer),
    dial: (t, o) => node.dial(t, o),
    dialProtocol: (t, p, o) => node.dialProtocol(t, p, o),
    hangUp: t => node.hangUp(t),
    addTransport: t => { transports.push(t) },
    listen: async () => { throw new Error('listen after start needs the node port; pass circuit addresses in `listen`') },
    addEventListener: (t, l) => node.addEventListener(t, l),
    removeEventListener: (t, l) => node.removeEventListener(t, l),
    dispatchEvent: e => node.dispatchEvent(e)
  }
  const runner = new ServiceRunner(new Map(Object.entries(services)), host)
  await runner.start()
  await node.start()
  await runner.afterStart()
  node.relayServices = runner.instances
  const stop = node.stop.bind(node)
  node.stop = async () => { await runner.stop(); await stop() }
  return node
}
