// mDNS on the loopback interface (multicast with IP_MULTICAST_IF = 127.0.0.1 never leaves
// the host), on a port of the test's own so concurrent runs on a shared machine do not mix:
// two wasp2p nodes discover each other (peer:discovery, peer store) and one dials the
// other; a node that does not broadcast discovers without being discovered; hostile and
// malformed datagrams are counted and dropped while discovery goes on. The same logic
// between network namespaces, and with js-libp2p: mdns-netns.node.test.js.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createSocket } from 'node:dgram'
import { createNode, mdns, encodeDnsMessage, DnsType, txtData, MDNS_GROUP, MDNS_MAX_DISCOVERIES_PER_SECOND, generateKeyPair, peerIdFromPrivateKey } from '../../dist/index.js'

const PORT = 20_000 + Math.floor(Math.random() * 40_000)
const options = extra => ({ port: PORT, interfaces: ['127.0.0.1'], queryIntervalMs: 1_000, ...extra })

function nodeWith (mdnsOptions) {
  return createNode({ listen: ['/ip4/127.0.0.1/tcp/0'], services: { mdns: mdns(options(mdnsOptions)) } })
}

/** Resolves with the first event `name` on `target` whose detail passes `match`, or rejects after `ms`. */
function next (target, name, match, ms = 15_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { target.removeEventListener(name, on); reject(new Error(`no ${name} in ${ms} ms`)) }, ms)
    const on = e => { if (!match(e.detail)) return; clearTimeout(timer); target.removeEventListener(name, on); resolve(e.detail) }
    target.addEventListener(name, on)
  })
}

async function sendRaw (bytes) {
  const socket = createSocket({ type: 'udp4', reuseAddr: true })
  await new Promise(resolve => socket.bind(0, '127.0.0.1', resolve))
  socket.setMulticastInterface('127.0.0.1')
  await new Promise(resolve => socket.send(bytes, PORT, MDNS_GROUP, resolve))
  socket.close()
}

test('two nodes on loopback find each other; the one with dial: true connects', async () => {
  const a = await nodeWith({ dial: true })
  const b = await nodeWith({})
  try {
    assert.equal(a.services.mdns.interfaces, ['127.0.0.1'])
    const [foundByA, foundByB, connected] = await Promise.all([
      next(a, 'peer:discovery', d => d.id.equals(b.peerId)),
      next(b, 'peer:discovery', d => d.id.equals(a.peerId)),
      next(b, 'peer:connect', id => id.equals(a.peerId))
    ])
    assert.ok(foundByA.multiaddrs.some(m => b.getMultiaddrs().some(x => x.toString().startsWith(m.toString()))), 'A learned an address B listens on')
    assert.ok(foundByB.multiaddrs.every(m => !m.toString().includes('/p2p/')), 'addresses come without /p2p/')
    assert.ok(connected.equals(a.peerId))
    assert.ok((await a.peerStore.get(b.peerId)).addresses.length > 0, 'in the peer store')
    assert.ok(a.services.mdns.stats.responsesSent > 0 && a.services.mdns.stats.queriesSent > 0)
  } finally {
    await Promise.all([a.stop(), b.stop()])
  }
})

test('broadcast: false discovers others without announcing itself', async () => {
  const quiet = await nodeWith({ broadcast: false })
  const loud = await nodeWith({})
  try {
    await next(quiet, 'peer:discovery', d => d.id.equals(loud.peerId))
    // Give the loud node several query rounds to (not) hear the quiet one.
    let heard = false
    loud.addEventListener('peer:discovery', e => { if (e.detail.id.equals(quiet.peerId)) heard = true })
    await new Promise(resolve => setTimeout(resolve, 2_500))
    assert.not.ok(heard)
    assert.is(quiet.services.mdns.stats.responsesSent, 0)
  } finally {
    await Promise.all([quiet.stop(), loud.stop()])
  }
})

test('malformed and hostile datagrams are dropped, counted, and discovery carries on', async () => {
  const a = await nodeWith({})
  try {
    const before = a.services.mdns.stats.malformed
    // A compression loop, a truncated header, random bytes.
    await sendRaw(new Uint8Array([0, 0, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 12, 0, 1]))
    await sendRaw(new Uint8Array([0, 0, 0x84]))
    await sendRaw(crypto.getRandomValues(new Uint8Array(300)))
    // A well-formed response naming a peer whose addresses disagree about its id, one with a bad multiaddr,
    // and 200 TXT strings: at most MDNS_MAX_DISCOVERED_ADDRS reach the store.
    const other = await createNode({ start: false })
    const third = await createNode({ start: false })
    const instance = 'hostile0hostile0hostile0hostile0._p2p._udp.local'
    const strings = ['dnsaddr=/ip4/x', ...Array.from({ length: 200 }, (_, i) => `dnsaddr=/ip4/10.1.${i >> 8}.${i & 255}/tcp/4001/p2p/${other.peerId}`)]
    strings.splice(3, 0, `dnsaddr=/ip4/10.9.9.9/tcp/1/p2p/${third.peerId}`) // the first valid address names the peer; this one disagrees
    const found = next(a, 'peer:discovery', d => d.id.equals(other.peerId))
    await sendRaw(encodeDnsMessage({
      response: true, questions: [], authorities: [],
      answers: [{ name: '_p2p._udp.local', type: DnsType.PTR, ttl: 120, data: instance }],
      additionals: strings.slice(0, 30).map(s => ({ name: instance, type: DnsType.TXT, ttl: 120, data: txtData([s]) }))
        .concat([{ name: instance, type: DnsType.TXT, ttl: 120, data: txtData(strings.slice(30, 60)) }])
    }))
    const detail = await found
    assert.is(detail.multiaddrs.length, 32, 'MDNS_MAX_DISCOVERED_ADDRS')
    assert.ok(detail.multiaddrs.every(m => !m.toString().startsWith('/ip4/10.9.9.9')), 'the address naming another peer is dropped')
    const deadline = Date.now() + 5_000
    while (a.services.mdns.stats.malformed < before + 3 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
    assert.is(a.services.mdns.stats.malformed - before, 3)
    // Still discovering.
    const b = await nodeWith({})
    try { await next(a, 'peer:discovery', d => d.id.equals(b.peerId)) } finally { await b.stop() }
  } finally {
    await a.stop()
  }
})

test(`a flood of fresh peer ids is cut at ${MDNS_MAX_DISCOVERIES_PER_SECOND} per second`, async () => {
  const a = await nodeWith({})
  try {
    const ids = await Promise.all(Array.from({ length: 160 }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()))
    let seen = 0
    a.addEventListener('peer:discovery', e => { if (ids.includes(e.detail.id.toString())) seen++ })
    for (let i = 0; i < ids.length; i += 16) {
      const batch = ids.slice(i, i + 16)
      await sendRaw(encodeDnsMessage({
        response: true, questions: [], authorities: [],
        answers: batch.map((_, j) => ({ name: '_p2p._udp.local', type: DnsType.PTR, ttl: 120, data: `flood${i + j}._p2p._udp.local` })),
        additionals: batch.map((id, j) => ({ name: `flood${i + j}._p2p._udp.local`, type: DnsType.TXT, ttl: 120, data: txtData([`dnsaddr=/ip4/10.2.0.${j}/tcp/1/p2p/${id}`]) }))
      }))
    }
    const deadline = Date.now() + 5_000
    while (a.services.mdns.stats.discovered + a.services.mdns.stats.dropped < ids.length && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
    const { discovered, dropped } = a.services.mdns.stats
    assert.is(discovered + dropped, ids.length, 'every flooded peer was either taken or dropped')
    // The burst took well under a few seconds; allow the refill of that time on a slow machine.
    assert.ok(dropped > 0 && discovered < ids.length, `discovered ${discovered}, dropped ${dropped}`)
    await new Promise(resolve => setTimeout(resolve, 100))
    assert.is(seen, discovered)
  } finally {
    await a.stop()
  }
})

test('a node stops answering once stopped', async () => {
  const a = await nodeWith({})
  await a.stop()
  const b = await nodeWith({})
  try {
    let heard = false
    b.addEventListener('peer:discovery', e => { if (e.detail.id.equals(a.peerId)) heard = true })
    await new Promise(resolve => setTimeout(resolve, 2_000))
    assert.not.ok(heard)
  } finally {
    await b.stop()
  }
})

test.run()
