// A wasp2p node with the relay services, as a user writes it:
// createNode({ services: { relay: circuitRelayServer(), circuit: circuitRelayTransport() } }).
// Loopback tests open many connections from one host, so 127.0.0.0/8 is allow-listed.
import { createNode } from '../../../dist/index.js'

export async function startRelayNode ({ listen = ['/ip4/127.0.0.1/tcp/0'], services = {}, privateKey, connectionManager, addresses } = {}) {
  return await createNode({
    listen,
    services,
    ...(addresses !== undefined ? { addresses } : {}),
    connectionManager: connectionManager ?? { allow: ['/ip4/127.0.0.0/ipcidr/8'] },
    ...(privateKey !== undefined ? { privateKey } : {})
  })
}
