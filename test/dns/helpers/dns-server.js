// A tiny authoritative DNS server for tests (Node): UDP on 127.0.0.1, a port of its own,
// answering TXT questions from a zone ({ name: [[...strings], ...] }) with our own codec;
// NXDOMAIN for names it does not have, `'garbage'` answers bytes that are no DNS message.
// `handle(bytes)` is the same logic for a DNS-over-HTTPS server.
import { createSocket } from 'node:dgram'
import { createServer } from 'node:http'
import { decodeDnsMessage, encodeDnsMessage, txtData, DnsType } from '../../../dist/dns/index.js'

export function answer (zone, bytes) {
  const query = decodeDnsMessage(bytes)
  const question = query.questions[0]
  const entry = zone[question?.name.toLowerCase()]
  if (entry === 'garbage') return new Uint8Array([1, 2, 3])
  const base = { id: query.id, response: true, authoritative: true, recursionDesired: query.recursionDesired, questions: query.questions, authorities: [], additionals: [] }
  if (entry === undefined) return encodeDnsMessage({ ...base, rcode: 3, answers: [] })
  return encodeDnsMessage({ ...base, answers: entry.map(strings => ({ name: question.name, type: DnsType.TXT, ttl: 60, data: txtData(strings) })) })
}

export async function startDnsServer (zone) {
  const socket = createSocket('udp4')
  const queries = []
  socket.on('message', (bytes, from) => {
    let reply
    try {
      const q = decodeDnsMessage(new Uint8Array(bytes))
      queries.push(q.questions[0]?.name)
      reply = answer(zone, new Uint8Array(bytes))
    } catch { return }
    socket.send(reply, from.port, from.address)
  })
  await new Promise(resolve => socket.bind(0, '127.0.0.1', resolve))
  return { server: `127.0.0.1:${socket.address().port}`, queries, close: () => new Promise(resolve => socket.close(resolve)) }
}

/** DNS-over-HTTPS (RFC 8484 GET, plain HTTP on 127.0.0.1 for the test). */
export async function startDohServer (zone) {
  const server = createServer((req, res) => {
    const dns = new URL(req.url, 'http://x').searchParams.get('dns')
    if (dns === null) { res.writeHead(400); res.end(); return }
    const bytes = Buffer.from(dns.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    let reply
    try { reply = answer(zone, new Uint8Array(bytes)) } catch { res.writeHead(400); res.end(); return }
    res.writeHead(200, { 'content-type': 'application/dns-message' })
    res.end(Buffer.from(reply))
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}/dns-query`, close: () => new Promise(resolve => server.close(resolve)) }
}
