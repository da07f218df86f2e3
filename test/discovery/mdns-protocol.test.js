// The libp2p mDNS messages without sockets (Node and browsers): our response read back
// through the codec names us with our addresses; js-libp2p's shape (TXT records in the
// answer section) is read too; queries we must answer are recognised; a peer's addresses
// that disagree about its id are dropped. In browsers the mDNS service is a no-op.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  createNode, mdns, mdnsSupported, encodeDnsMessage, decodeDnsMessage, DnsType, txtData, multiaddr, MDNS_SERVICE_NAME
} from '../../dist/index.js'
import { discoveryQuery, discoveryResponse, peersInResponse, queryWants, randomPeerName } from '../../dist/discovery/mdns/index.js'
import { memory } from '../../dist/transport/index.js'

const id = '12D3KooWRYbPJZDniacSL9EoKY9WWSAK6c46bmihN4Qb1qWtQTcP'
const other = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'
const wire = m => decodeDnsMessage(encodeDnsMessage(m))

test('our response, through the codec, describes us', () => {
  const instance = `${randomPeerName(32)}.${MDNS_SERVICE_NAME}`
  const addrs = [multiaddr(`/ip4/10.0.0.1/tcp/4001/p2p/${id}`), multiaddr(`/ip4/10.0.0.1/tcp/4002/ws/p2p/${id}`), multiaddr('/ip4/10.0.0.1/tcp/9')]
  const message = wire(discoveryResponse(MDNS_SERVICE_NAME, instance, addrs))
  assert.is(message.additionals.length, 2, 'an address without /p2p/ is not announced')
  const [peer] = peersInResponse(message, MDNS_SERVICE_NAME)
  assert.is(peer.id.toString(), id)
  assert.equal(peer.multiaddrs.map(String), ['/ip4/10.0.0.1/tcp/4001', '/ip4/10.0.0.1/tcp/4002/ws'])
  assert.is(peer.instanceName, instance)
  assert.is(peer.ttl, 120)
})

test("js-libp2p's shape: PTR and TXT all in the answers; mixed ids; case-insensitive names", () => {
  const instance = 'abc._p2p._udp.local'
  const message = wire({
    response: true, questions: [], authorities: [], additionals: [],
    answers: [
      { name: '_P2P._udp.local', type: DnsType.PTR, ttl: 120, data: instance },
      { name: 'ABC._p2p._udp.local', type: DnsType.TXT, ttl: 120, data: txtData([`dnsaddr=/ip4/10.0.0.2/tcp/1/p2p/${id}`]) },
      { name: instance, type: DnsType.TXT, ttl: 60, data: txtData([`dnsaddr=/ip4/10.0.0.3/tcp/1/p2p/${other}`, 'other=thing', `dnsaddr=/ip4/10.0.0.2/tcp/2/p2p/${id}`]) }
    ]
  })
  const [peer] = peersInResponse(message, MDNS_SERVICE_NAME)
  assert.is(peer.id.toString(), id)
  assert.equal(peer.multiaddrs.map(String), ['/ip4/10.0.0.2/tcp/1', '/ip4/10.0.0.2/tcp/2'])
  assert.is(peer.ttl, 60)
  assert.equal(peersInResponse(wire({ ...message, response: false }), MDNS_SERVICE_NAME), [], 'a query is not a response')
})

test('which queries we answer', () => {
  const instance = 'me._p2p._udp.local'
  assert.equal(queryWants(wire(discoveryQuery(MDNS_SERVICE_NAME)), MDNS_SERVICE_NAME, instance), { peers: true, services: false })
  const ask = (name, type) => queryWants(wire({ response: false, questions: [{ name, type }], answers: [], authorities: [], additionals: [] }), MDNS_SERVICE_NAME, instance)
  assert.equal(ask(instance, DnsType.TXT), { peers: true, services: false })
  assert.equal(ask('_services._dns-sd._udp.local', DnsType.PTR), { peers: false, services: true })
  assert.equal(ask(MDNS_SERVICE_NAME, DnsType.A), { peers: false, services: false })
  assert.equal(ask('_other._udp.local', DnsType.PTR), { peers: false, services: false })
  const meta = wire(discoveryResponse(MDNS_SERVICE_NAME, instance, [multiaddr(`/ip4/10.0.0.1/tcp/1/p2p/${id}`)], { services: true }))
  assert.ok(meta.answers.some(a => a.name === '_services._dns-sd._udp.local' && a.data === MDNS_SERVICE_NAME))
})

test('peer names: 32 lower-case letters and digits, one DNS label', () => {
  const name = randomPeerName(32)
  assert.match(name, /^[a-z0-9]{32}$/)
  assert.not.equal(randomPeerName(32), name)
  assert.throws(() => mdns({ peerName: 'x'.repeat(64) }).create({ }), RangeError)
})

if (!mdnsSupported) {
  test('browsers: mDNS is a no-op service, the node runs without it', async () => {
    const node = await createNode({ transports: [memory()], listen: ['/memory/0'], services: { mdns: mdns() } })
    try {
      assert.is(node.services.mdns.supported, false)
      assert.equal(node.services.mdns.interfaces, [])
      assert.is(node.services.mdns.error, undefined)
    } finally {
      await node.stop()
    }
  })
}

test.run()
