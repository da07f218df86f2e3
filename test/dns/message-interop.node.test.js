// Differential test of the DNS codec against dns-packet (the codec under multicast-dns,
// which @libp2p/mdns uses): what it encodes (with name compression) we decode to the same
// records, and what we encode it decodes to the same records.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import packet from 'dns-packet'
import { decodeDnsMessage, encodeDnsMessage, txtData, txtStrings, DnsType } from '../../dist/dns/index.js'

const TYPES = { PTR: DnsType.PTR, TXT: DnsType.TXT, A: DnsType.A, AAAA: DnsType.AAAA, SRV: DnsType.SRV }

function theirs () {
  const peer = 'k2nd8f7s9a0dk3jf8s7d6f5g4h3j2k1l._p2p._udp.local'
  return {
    type: 'response',
    id: 0,
    flags: packet.AUTHORITATIVE_ANSWER,
    questions: [{ name: '_p2p._udp.local', type: 'PTR', class: 'IN' }],
    answers: [
      { name: '_p2p._udp.local', type: 'PTR', class: 'IN', ttl: 120, data: peer },
      { name: peer, type: 'TXT', class: 'IN', ttl: 120, data: 'dnsaddr=/ip4/10.0.0.1/tcp/4001/p2p/12D3KooWAbc' },
      { name: peer, type: 'TXT', class: 'IN', ttl: 120, data: ['dnsaddr=/ip4/10.0.0.1/tcp/4002/ws/p2p/12D3KooWAbc', 'x=y'] }
    ],
    additionals: [
      { name: 'host.p2p.local', type: 'A', class: 'IN', ttl: 120, data: '192.168.1.20' },
      { name: 'host.p2p.local', type: 'AAAA', class: 'IN', ttl: 120, data: 'fe80::1:2' },
      { name: peer, type: 'SRV', class: 'IN', ttl: 120, data: { priority: 1, weight: 2, port: 4001, target: 'host.p2p.local' } }
    ]
  }
}

test('dns-packet → wasp2p: an mDNS response decodes to the same records', () => {
  const message = theirs()
  const bytes = packet.encode(message)
  const ours = decodeDnsMessage(bytes)
  assert.is(ours.response, true)
  assert.is(ours.authoritative, true)
  assert.equal(ours.questions.map(q => [q.name, q.type]), [['_p2p._udp.local', DnsType.PTR]])
  const all = [...ours.answers, ...ours.additionals]
  const fresh = theirs() // encode() turned the strings of `message` into Buffers
  const expected = [...fresh.answers, ...fresh.additionals]
  assert.is(all.length, expected.length)
  all.forEach((record, i) => {
    const want = expected[i]
    assert.is(record.name, want.name)
    assert.is(record.type, TYPES[want.type])
    assert.is(record.ttl, want.ttl)
    if (want.type === 'TXT') assert.equal(txtStrings(record.data), [want.data].flat())
    else if (want.type === 'AAAA') assert.is(record.data, 'fe80:0:0:0:0:0:1:2')
    else assert.equal(record.data, want.data)
  })
})

test('wasp2p → dns-packet: our encoding decodes to the same records', () => {
  const ours = {
    response: true,
    authoritative: true,
    questions: [],
    answers: [{ name: '_p2p._udp.local', type: DnsType.PTR, ttl: 120, data: 'abc._p2p._udp.local' }],
    authorities: [],
    additionals: [
      { name: 'abc._p2p._udp.local', type: DnsType.TXT, ttl: 120, data: txtData(['dnsaddr=/ip4/10.0.0.2/tcp/1/p2p/12D3KooWX']) },
      { name: 'h.local', type: DnsType.A, ttl: 60, data: '10.0.0.2' },
      { name: 'h.local', type: DnsType.SRV, ttl: 60, data: { priority: 0, weight: 5, port: 9, target: 'h.local' } }
    ]
  }
  const theirsDecoded = packet.decode(Buffer.from(encodeDnsMessage(ours)))
  assert.is(theirsDecoded.type, 'response')
  assert.is(theirsDecoded.answers[0].data, 'abc._p2p._udp.local')
  assert.equal(theirsDecoded.additionals[0].data.map(b => b.toString()), ['dnsaddr=/ip4/10.0.0.2/tcp/1/p2p/12D3KooWX'])
  assert.is(theirsDecoded.additionals[1].data, '10.0.0.2')
  assert.equal(theirsDecoded.additionals[2].data, { priority: 0, weight: 5, port: 9, target: 'h.local' })
  const query = packet.decode(Buffer.from(encodeDnsMessage({ response: false, questions: [{ name: '_p2p._udp.local', type: DnsType.PTR }], answers: [], authorities: [], additionals: [] })))
  assert.is(query.type, 'query')
  assert.equal(query.questions, [{ name: '_p2p._udp.local', type: 'PTR', class: 'IN' }])
})

test.run()
