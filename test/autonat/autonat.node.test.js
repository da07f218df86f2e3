// AutoNAT v2 between wasp2p nodes on loopback TCP (Noise, yamux). Loopback is
// private, so the servers run with allowPrivateAddresses and the clients with
// checkPrivateAddresses; the namespace test (netns.node.test.js) covers the
// public-address rules. Shown here: a listening client is told public by two
// servers (the address manager records it, self:reachability fires), an
// address nobody listens on is told private, a server asks for dial data when
// the address's IP differs from the one the client connects from, and a
// server's OK without the nonce is discarded.
import { test } from 'uvu'
import { waitFor } from '../helpers/wait.js'
import * as assert from 'uvu/assert'
import { createNode, autonatV2, service, AUTONAT_DIAL_REQUEST_PROTOCOL } from '../../dist/index.js'
import { MessageStream, ResponseStatus, DialStatus, AUTONAT_DIAL_DATA_MIN_BYTES, AUTONAT_DIAL_DATA_MAX_BYTES } from '../../dist/autonat/index.js'
import { multiaddr } from '@multiformats/multiaddr'

const WAIT_MS = 20_000

const serverOptions = { allowPrivateAddresses: true, client: false }
const clientOptions = { checkPrivateAddresses: true, confirmations: 2, server: false }
const nodes = []
async function node (options) {
  const n = await createNode(options)
  nodes.push(n)
  return n
}
let servers
test.before(async () => {
  servers = await Promise.all([0, 1].map(() => node({ listen: ['/ip4/127.0.0.1/tcp/0'], services: { autonat: autonatV2(serverOptions) } })))
})
test.after(async () => { await Promise.all(nodes.map(async n => { await n.stop() })) })

test('a listening client is told public by two servers; the address manager and self:reachability follow', async () => {
  const client = await node({ listen: ['/ip4/127.0.0.1/tcp/0'], services: { autonat: autonatV2(clientOptions) } })
  const events = []
  client.addEventListener('self:reachability', e => events.push(e.detail))
  assert.is(client.services.autonat.reachability, 'unknown')
  for (const s of servers) await client.dial(s.getMultiaddrs()[0])
  await waitFor(() => client.services.autonat.reachability !== 'unknown', 'a verdict', WAIT_MS)
  assert.is(client.services.autonat.reachability, 'public')
  const listen = client.addressManager.getAddresses().find(a => a.source === 'listen')
  assert.is(listen.reachability, 'public')
  assert.is(events.at(-1).reachability, 'public')
  const checks = client.services.autonat.checks
  assert.is(new Set(checks.filter(c => c.outcome === 'reachable').map(c => c.server.toString())).size, 2, 'two distinct servers')
  assert.ok(checks.every(c => c.dialedBack && c.dialStatus === DialStatus.OK && c.status === ResponseStatus.OK))
  assert.is(servers[0].services.autonat.serverStats.dialed + servers[1].services.autonat.serverStats.dialed, 2)
  // The dial-back connections were the servers' own, and are gone; the client's connections stay.
  await waitFor(() => servers.every(s => s.getConnections(client.peerId).length === 1), 'dial-back connections closed', WAIT_MS)
  for (const s of servers) assert.is(client.getConnections(s.peerId).length, 1)
})

test('an announced address nobody listens on is told private by two servers, and withdrawn', async () => {
  const probe = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  const dead = probe.getMultiaddrs()[0].toString().replace(/\/p2p\/.*$/, '')
  await probe.stop() // now nothing listens there
  const client = await node({ listen: ['/ip4/127.0.0.1/tcp/0'], addresses: { announce: [dead] }, services: { autonat: autonatV2(clientOptions) } })
  const updates = []
  client.addEventListener('self:peer:update', () => updates.push(client.getMultiaddrs().map(String)))
  for (const s of servers) await client.dial(s.getMultiaddrs()[0])
  await waitFor(() => client.services.autonat.reachability !== 'unknown', 'a verdict', WAIT_MS)
  assert.is(client.services.autonat.reachability, 'private')
  assert.is(client.addressManager.reachabilityOf(multiaddr(dead)), 'private')
  assert.ok(client.services.autonat.checks.every(c => c.outcome === 'unreachable' && c.dialStatus === DialStatus.E_DIAL_ERROR))
  // Loopback is for local use, so it stays announced (rule 1) even when AutoNAT says private.
  assert.ok(client.getMultiaddrs().some(a => a.toString().startsWith(dead)))
})

test('amplification protection: another IP than the connection\'s costs dial data, which the client pays', async () => {
  // The client connects from 127.0.0.1 and asks about its listener on 127.0.0.2.
  const client = await node({ listen: ['/ip4/127.0.0.2/tcp/0'], services: { autonat: autonatV2({ ...clientOptions, client: false }) } })
  const connection = await client.dial(servers[0].getMultiaddrs()[0])
  const before = servers[0].services.autonat.serverStats.dialDataRequested
  const check = await client.services.autonat.check(connection, client.addressManager.getAddresses()[0].multiaddr)
  assert.is(check.outcome, 'reachable')
  assert.ok(check.dialDataBytes >= AUTONAT_DIAL_DATA_MIN_BYTES && check.dialDataBytes <= AUTONAT_DIAL_DATA_MAX_BYTES, `${check.dialDataBytes}`)
  assert.is(servers[0].services.autonat.serverStats.dialDataRequested, before + 1)
})

test('a server that answers OK without dialing back is not believed', async () => {
  // A liar: answers every dial request with OK / OK at once.
  const liar = service(host => ({
    start () {
      host.handle(AUTONAT_DIAL_REQUEST_PROTOCOL, async stream => {
        const messages = new MessageStream(stream)
        await messages.read()
        await messages.write({ type: 'dialResponse', status: ResponseStatus.OK, addrIdx: 0, dialStatus: DialStatus.OK })
        await stream.close()
      })
    }
  }))
  const liars = await Promise.all([0, 1].map(() => node({ listen: ['/ip4/127.0.0.1/tcp/0'], services: { liar } })))
  const client = await node({ listen: ['/ip4/127.0.0.1/tcp/0'], services: { autonat: autonatV2(clientOptions) } })
  for (const l of liars) await client.dial(l.getMultiaddrs()[0])
  await waitFor(() => client.services.autonat.checks.length >= 2, 'both liars answered', WAIT_MS)
  assert.ok(client.services.autonat.checks.every(c => c.outcome === 'inconclusive' && !c.dialedBack && c.dialStatus === DialStatus.OK))
  assert.is(client.services.autonat.reachability, 'unknown')
})

test('a server listening only on IPv4 refuses an IPv6 address: E_DIAL_REFUSED, counted for neither verdict', async () => {
  const client = await node({ listen: ['/ip4/127.0.0.1/tcp/0'], services: { autonat: autonatV2({ ...clientOptions, client: false }) } })
  const connection = await client.dial(servers[0].getMultiaddrs()[0])
  const refused = await client.services.autonat.check(connection, multiaddr('/ip6/::1/tcp/4001'))
  assert.is(refused.status, ResponseStatus.E_DIAL_REFUSED)
  assert.is(refused.outcome, 'inconclusive')
})

test.run()
