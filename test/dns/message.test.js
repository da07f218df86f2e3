// The DNS message codec: round trips of every record type we type, RFC 1035 name
// compression on decode (a hand-built packet), and hostile input — compression loops,
// forward and self pointers, long pointer chains, over-long labels and names, truncation
// at every byte, inflated record counts, oversized datagrams, random bytes — each a named
// DnsMessageError and never anything else. (dns-packet differential: message-interop.node.test.js.)
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import {
  decodeDnsMessage, encodeDnsMessage, txtData, txtStrings, DnsType, MDNS_CLASS_FLAG,
  DnsMessageError, DnsCompressionError, DnsTruncatedError, DnsLimitError, DnsFormatError,
  MAX_DNS_MESSAGE_SIZE, MAX_DNS_RECORDS, MAX_DNS_POINTER_JUMPS
} from '../../dist/dns/index.js'

const sample = () => ({
  id: 0,
  response: true,
  authoritative: true,
  questions: [],
  answers: [{ name: '_p2p._udp.local', type: DnsType.PTR, ttl: 120, data: 'abcdef0123456789abcdef0123456789._p2p._udp.local' }],
  authorities: [],
  additionals: [
    { name: 'abcdef0123456789abcdef0123456789._p2p._udp.local', type: DnsType.TXT, ttl: 120, cacheFlush: true, data: txtData(['dnsaddr=/ip4/10.0.0.1/tcp/4001/p2p/12D3KooWQ']) },
    { name: 'host.p2p.local', type: DnsType.A, ttl: 120, data: '10.0.0.1' },
    { name: 'host.p2p.local', type: DnsType.AAAA, ttl: 120, data: 'fe80:0:0:0:1:2:3:4' },
    { name: 'x._p2p._udp.local', type: DnsType.SRV, ttl: 120, data: { priority: 0, weight: 0, port: 4001, target: 'host.p2p.local' } },
    { name: 'raw.local', type: 99, ttl: 5, data: new Uint8Array([1, 2, 3]) }
  ]
})

test('round trip: PTR, TXT, A, AAAA, SRV, unknown types, header bits, mDNS class bits', () => {
  const message = sample()
  message.questions.push({ name: '_p2p._udp.local', type: DnsType.PTR, unicastResponse: true })
  const decoded = decodeDnsMessage(encodeDnsMessage(message))
  assert.is(decoded.response, true)
  assert.is(decoded.authoritative, true)
  assert.equal(decoded.questions, [{ name: '_p2p._udp.local', type: DnsType.PTR, class: 1, unicastResponse: true }])
  assert.is(decoded.answers[0].data, message.answers[0].data)
  assert.equal(txtStrings(decoded.additionals[0].data), ['dnsaddr=/ip4/10.0.0.1/tcp/4001/p2p/12D3KooWQ'])
  assert.is(decoded.additionals[0].cacheFlush, true)
  assert.is(decoded.additionals[0].class, 1)
  assert.is(decoded.additionals[1].data, '10.0.0.1')
  assert.is(decoded.additionals[2].data, 'fe80:0:0:0:1:2:3:4')
  assert.equal(decoded.additionals[3].data, { priority: 0, weight: 0, port: 4001, target: 'host.p2p.local' })
  assert.equal([...decoded.additionals[4].data], [1, 2, 3])
  assert.is(decodeDnsMessage(encodeDnsMessage({ ...sample(), additionals: [{ name: 'h', type: DnsType.AAAA, ttl: 1, data: '::1' }] })).additionals[0].data, '0:0:0:0:0:0:0:1')
})

/** Header (id 0, response) with the given counts, then `body`. */
function packet (counts, body) {
  return new Uint8Array([0, 0, 0x84, 0, 0, counts[0], 0, counts[1], 0, counts[2] ?? 0, 0, counts[3] ?? 0, ...body])
}
const label = s => [s.length, ...new TextEncoder().encode(s)]

test('compressed names are followed (RFC 1035 §4.1.4)', () => {
  // Question "_p2p._udp.local" at offset 12, then an answer whose name is a pointer to it and whose PTR data is "peer" + pointer.
  const q = [...label('_p2p'), ...label('_udp'), ...label('local'), 0, 0, 12, 0, 1]
  const rdata = [...label('peer'), 0xc0, 12]
  const answer = [0xc0, 12, 0, 12, 0, 1, 0, 0, 0, 120, 0, rdata.length, ...rdata]
  const m = decodeDnsMessage(packet([1, 1], [...q, ...answer]))
  assert.is(m.answers[0].name, '_p2p._udp.local')
  assert.is(m.answers[0].data, 'peer._p2p._udp.local')
})

function decodeError (bytes) {
  try { decodeDnsMessage(bytes) } catch (err) { return err }
  return undefined
}

test('compression loops, self and forward pointers are DnsCompressionError', () => {
  const q = tail => packet([1, 0], [...tail, 0, 12, 0, 1])
  assert.instance(decodeError(q([0xc0, 12])), DnsCompressionError, 'a pointer to itself')
  assert.instance(decodeError(q([...label('a'), 0xc0, 12])), DnsCompressionError, 'a loop back to the name start')
  assert.instance(decodeError(q([0xc0, 20, 0, 0, 0, 0, 0, 0, ...label('x'), 0])), DnsCompressionError, 'a forward pointer')
  // Two names pointing at each other: the second points to the first, which points (forward) to the second.
  const first = [0xc0, 0x22]
  assert.instance(decodeError(packet([2, 0], [...first, 0, 1, 0, 1, ...label('b'), 0xc0, 12, 0, 1, 0, 1])), DnsCompressionError)
})

test(`a chain of more than ${MAX_DNS_POINTER_JUMPS} backward pointers is refused`, () => {
  // Question 1 is the root name at offset 12; question k's name is a pointer to question k-1's,
  // so question k needs k-1 jumps — every target earlier than the last, as the rule demands.
  const chain = count => {
    const body = [0, 0, 1, 0, 1]
    const starts = [12]
    for (let k = 1; k < count; k++) {
      starts.push(12 + body.length)
      body.push(0xc0, starts[k - 1], 0, 1, 0, 1)
    }
    return new Uint8Array([0, 0, 0, 0, 0, count, 0, 0, 0, 0, 0, 0, ...body])
  }
  const ok = decodeDnsMessage(chain(MAX_DNS_POINTER_JUMPS + 1))
  assert.is(ok.questions.length, MAX_DNS_POINTER_JUMPS + 1, `${MAX_DNS_POINTER_JUMPS} jumps are fine`)
  const err = decodeError(chain(MAX_DNS_POINTER_JUMPS + 2))
  assert.instance(err, DnsCompressionError)
  assert.match(err.message, /more than/)
})

test('over-long labels and names, reserved label types: DnsLimitError / DnsFormatError', () => {
  assert.instance(decodeError(packet([1, 0], [64, ...new Array(64).fill(97), 0, 0, 1, 0, 1])), DnsFormatError, 'a length of 64 has the reserved 01 label bits')
  const long = []
  for (let i = 0; i < 5; i++) long.push(...label('x'.repeat(60)))
  assert.instance(decodeError(packet([1, 0], [...long, 0, 0, 1, 0, 1])), DnsLimitError)
  assert.instance(decodeError(packet([1, 0], [0x40, 0, 0, 1, 0, 1])), DnsFormatError)
  assert.throws(() => encodeDnsMessage({ ...sample(), questions: [{ name: 'x'.repeat(64) + '.local', type: 1 }] }), e => e instanceof DnsLimitError)
})

test('record data that does not fit its type or its length: DnsFormatError / DnsTruncatedError', () => {
  const q = [...label('a'), 0]
  const rr = (type, rdata, length = rdata.length) => packet([0, 1], [...q, 0, type, 0, 1, 0, 0, 0, 1, 0, length, ...rdata])
  assert.instance(decodeError(rr(1, [1, 2, 3])), DnsFormatError, 'A of 3 bytes')
  assert.instance(decodeError(rr(28, [1, 2, 3, 4])), DnsFormatError, 'AAAA of 4 bytes')
  assert.instance(decodeError(rr(16, [5, 1, 2])), DnsFormatError, 'TXT string past the data')
  assert.instance(decodeError(rr(12, [...label('x'), 0, 9], 4)), DnsFormatError, 'PTR name past the data')
  assert.instance(decodeError(rr(12, [...label('x'), 0, 9])), DnsFormatError, 'PTR data longer than its name')
  assert.instance(decodeError(rr(16, [1, 2], 10)), DnsTruncatedError, 'data length past the datagram')
  assert.instance(decodeError(rr(33, [0, 0, 0])), DnsFormatError, 'short SRV')
})

test('truncation at every byte of a valid message is DnsTruncatedError (or another DnsMessageError), never a crash', () => {
  const bytes = encodeDnsMessage(sample())
  for (let n = 0; n < bytes.length; n++) {
    const err = decodeError(bytes.subarray(0, n))
    assert.instance(err, DnsMessageError, `cut at ${n}`)
  }
  assert.instance(decodeError(bytes.subarray(0, 5)), DnsTruncatedError)
})

test(`limits: more than ${MAX_DNS_RECORDS} records claimed, datagrams over ${MAX_DNS_MESSAGE_SIZE} bytes`, () => {
  const claim = new Uint8Array([0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0])
  assert.instance(decodeError(claim), DnsLimitError)
  assert.instance(decodeError(new Uint8Array(MAX_DNS_MESSAGE_SIZE + 1)), DnsLimitError)
  const many = { ...sample(), additionals: Array.from({ length: MAX_DNS_RECORDS + 1 }, () => ({ name: 'a', type: 1, ttl: 1, data: '1.2.3.4' })) }
  assert.throws(() => encodeDnsMessage(many), e => e instanceof DnsLimitError)
  const big = { ...sample(), additionals: Array.from({ length: 60 }, () => ({ name: 'a', type: DnsType.TXT, ttl: 1, data: txtData(['x'.repeat(255)]) })) }
  assert.throws(() => encodeDnsMessage(big), e => e instanceof DnsLimitError)
  assert.is(MDNS_CLASS_FLAG, 0x8000)
})

test('random bytes and mutated messages: decode succeeds or throws a DnsMessageError', () => {
  const valid = encodeDnsMessage(sample())
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), bytes => {
    const err = decodeError(bytes)
    return err === undefined || err instanceof DnsMessageError
  }), { numRuns: 2000, seed: 7 })
  fc.assert(fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), edits => {
    const bytes = valid.slice()
    for (const [at, v] of edits) bytes[at] = v
    const err = decodeError(bytes)
    return err === undefined || err instanceof DnsMessageError
  }), { numRuns: 3000, seed: 8 })
})

test.run()
