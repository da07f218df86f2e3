// /dnsaddr/ resolution against a DNS server the test runs on 127.0.0.1 (our codec on both
// ends, node:dns's c-ares in between): nested links, the /p2p/ filter, loops stopped by
// the depth limit, missing names, broken answers as named errors; the same through a
// DNS-over-HTTPS server (the pluggable path browsers use); and a node whose bootstrap list
// holds only a /dnsaddr/ entry connecting to the peer it resolves to.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  resolveDnsaddr, dohTxtResolver, systemTxtResolver, DnsaddrLimitError, DnsResolveError, DNSADDR_MAX_DEPTH
} from '../../dist/dns/index.js'
import { createNode, multiaddr } from '../../dist/index.js'
import { startDnsServer, startDohServer } from './helpers/dns-server.js'

const target = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
const id = target.peerId.toString()
const other = (await createNode({ start: false })).peerId.toString()
const tcpAddr = target.getMultiaddrs()[0].toString()

const zone = {
  '_dnsaddr.boot.test': [[`dnsaddr=/dnsaddr/node1.boot.test/p2p/${id}`], [`dnsaddr=/dnsaddr/node2.boot.test/p2p/${other}`], ['unrelated=1']],
  '_dnsaddr.node1.boot.test': [[`dnsaddr=${tcpAddr}`], [`dnsaddr=/ip4/127.0.0.1/tcp/1/ws/p2p/${id}`], ['dnsaddr=/not/a/multiaddr']],
  '_dnsaddr.node2.boot.test': [[`dnsaddr=/ip4/127.0.0.2/tcp/4001/p2p/${other}`]],
  '_dnsaddr.split.test': [['dnsaddr=/ip4/10.0.0.1', `/tcp/5/p2p/${id}`]],
  '_dnsaddr.loop.test': [['dnsaddr=/dnsaddr/loop.test']],
  '_dnsaddr.broken.test': 'garbage'
}
const dns = await startDnsServer(zone)
const doh = await startDohServer(zone)
const viaServer = { servers: [dns.server] }

test('nested /dnsaddr/ links resolve; /p2p/ filters by peer; junk is skipped', async () => {
  const all = await resolveDnsaddr(multiaddr('/dnsaddr/boot.test'), viaServer)
  assert.equal(all.map(String).sort(), [tcpAddr, `/ip4/127.0.0.1/tcp/1/ws/p2p/${id}`, `/ip4/127.0.0.2/tcp/4001/p2p/${other}`].sort())
  const mine = await resolveDnsaddr(multiaddr(`/dnsaddr/boot.test/p2p/${id}`), viaServer)
  assert.equal(mine.map(String), [tcpAddr, `/ip4/127.0.0.1/tcp/1/ws/p2p/${id}`])
  assert.ok(dns.queries.includes('_dnsaddr.boot.test') && dns.queries.includes('_dnsaddr.node1.boot.test'), 'the lookups reached our server')
  assert.equal((await resolveDnsaddr(multiaddr('/dnsaddr/split.test'), viaServer)).map(String), [`/ip4/10.0.0.1/tcp/5/p2p/${id}`], 'a value split over strings is joined')
  assert.equal((await resolveDnsaddr(multiaddr(tcpAddr))).map(String), [tcpAddr], 'a non-dnsaddr address is itself')
})

test('a missing name resolves to nothing; a loop and a broken answer are named errors', async () => {
  assert.equal(await resolveDnsaddr(multiaddr('/dnsaddr/missing.test'), viaServer), [])
  const loop = await resolveDnsaddr(multiaddr('/dnsaddr/loop.test'), viaServer).catch(e => e)
  assert.instance(loop, DnsaddrLimitError)
  assert.match(loop.message, new RegExp(`deeper than ${DNSADDR_MAX_DEPTH}`))
  assert.instance(await resolveDnsaddr(multiaddr('/dnsaddr/broken.test'), viaServer).catch(e => e), DnsResolveError)
  const silent = systemTxtResolver({ servers: ['127.0.0.1:9'], timeoutMs: 300 })
  assert.instance(await silent('_dnsaddr.x.test').catch(e => e), DnsResolveError, 'nobody answers: a DnsResolveError, not a hang')
})

test('DNS-over-HTTPS: the same answers through dohTxtResolver', async () => {
  const resolveTxt = dohTxtResolver(doh.url)
  const mine = await resolveDnsaddr(multiaddr(`/dnsaddr/boot.test/p2p/${id}`), { resolveTxt })
  assert.equal(mine.map(String), [tcpAddr, `/ip4/127.0.0.1/tcp/1/ws/p2p/${id}`])
  assert.equal(await resolveTxt('_dnsaddr.missing.test'), [])
  assert.instance(await resolveTxt('_dnsaddr.broken.test').catch(e => e), DnsResolveError)
})

test('a bootstrap list with only a /dnsaddr/ entry connects to the peer it names', async () => {
  const node = await createNode({ listen: [], bootstrap: [`/dnsaddr/boot.test/p2p/${id}`], bootstrapBackoff: { dnsaddr: viaServer } })
  try {
    const deadline = Date.now() + 15_000
    while (node.getConnections(target.peerId).length === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
    assert.is(node.getConnections(target.peerId).length, 1)
  } finally {
    await node.stop()
  }
})

test.after(async () => {
  await target.stop()
  await dns.close()
  await doh.close()
})
test.run()
