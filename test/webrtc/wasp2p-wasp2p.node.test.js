// WebRTC browser-to-browser, wasp2p to wasp2p (webrtc.md): two headless
// Chromium pages, each a wasp2p node connected to a wasp2p relay (Node,
// circuit relay v2 over WebSocket). B reserves and listens on
// `<relay>/p2p-circuit/webrtc`; A dials that address, the SDP and ICE go over
// /webrtc-signaling/0.0.1 on the relayed connection, and ping and echo then
// run on the direct RTCPeerConnection: its connection says /webrtc, DTLS, not
// limited, and it carries 1 MiB, eight times what the relay's circuit limit
// (DEFAULT_CIRCUIT_DATA_BYTES) would let through.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { relay as relayNs } from '../../dist/index.js'
import { requireChromium } from '../helpers/browser.js'
import { bundlePage, connectionsWhen, launchChromium, openPeerPage, serve, startRelay } from './harness.js'
import { runInOwnNamespace } from '../helpers/own-namespace.js'

// ICE must not reach the machine's real interface: the whole file runs in a namespace of its own.
await runInOwnNamespace(import.meta.url)

requireChromium('test/webrtc/wasp2p-wasp2p.node.test.js')

const ECHO_BYTES = 1024 * 1024
const test = suite('webrtc: wasp2p ↔ wasp2p in two Chromium pages')
let relay, server, browser, a, b, infoA, infoB
const errors = []

test.before(async () => {
  const dir = await bundlePage('wasp2p-page.js')
  ;[relay, server, browser] = await Promise.all([startRelay(), serve(dir), launchChromium()])
  a = await openPeerPage(browser, server.base, errors)
  b = await openPeerPage(browser, server.base, errors)
  const relayAddr = relay.getMultiaddrs().find(m => m.toString().includes('/ws')).toString()
  infoA = await a.evaluate(addr => globalThis.peer.start(addr), relayAddr)
  infoB = await b.evaluate(addr => globalThis.peer.start(addr), relayAddr)
})

test.after(async () => {
  await a?.evaluate(() => globalThis.peer.stop()).catch(() => {})
  await b?.evaluate(() => globalThis.peer.stop()).catch(() => {})
  await browser?.close()
  server?.close()
  await relay?.stop()
})

test('B listens on <relay>/p2p-circuit/webrtc/p2p/B after its reservation', () => {
  const addr = infoB.addrs.find(a => a.endsWith(`/p2p-circuit/webrtc/p2p/${infoB.peerId}`))
  assert.ok(addr, infoB.addrs.join(' '))
  assert.ok(addr.startsWith(`/ip4/127.0.0.1/tcp/`) && addr.includes(`/ws/p2p/${relay.peerId.toString()}/p2p-circuit/webrtc/`), addr)
})

test('A dials B\'s WebRTC address: a direct connection, DTLS, data channels, not limited', async () => {
  const addr = infoB.addrs.find(a => a.includes('/p2p-circuit/webrtc/'))
  const conn = await a.evaluate(addr => globalThis.peer.dial(addr), addr)
  assert.is(conn.remotePeer, infoB.peerId)
  assert.is(conn.multiplexer, '/webrtc')
  assert.is(conn.encryption, 'dtls')
  assert.is(conn.limited, false)
  assert.is(conn.direction, 'outbound')
  assert.ok(conn.remoteAddr.includes('/p2p-circuit/webrtc/p2p/'), conn.remoteAddr)
  // B sees A inbound over WebRTC, next to the relayed connection the signaling used.
  const seen = await connectionsWhen(b, infoA.peerId, list => list.some(c => c.multiplexer === '/webrtc'))
  const direct = seen.find(c => c.multiplexer === '/webrtc')
  assert.ok(direct, JSON.stringify(seen))
  assert.is(direct.direction, 'inbound')
  assert.is(direct.limited, false)
  assert.ok(direct.remoteAddr.endsWith(`/p2p-circuit/webrtc/p2p/${infoA.peerId}`), direct.remoteAddr)
  assert.ok(seen.some(c => c.limited && c.multiplexer !== '/webrtc'), 'the relayed connection (limited, yamux) is there too')
  // Both ends compared the remote DTLS certificate with the fingerprint of the SDP that came over the relay.
  assert.equal((await a.evaluate(() => globalThis.peer.state())).direct, [{ peer: infoB.peerId, direction: 'outbound', certificateChecked: true }])
  assert.equal((await b.evaluate(() => globalThis.peer.state())).direct, [{ peer: infoA.peerId, direction: 'inbound', certificateChecked: true }])
})

test('dialing the peer by id now picks the direct WebRTC connection, not the relayed one', async () => {
  const viaId = await a.evaluate(peer => globalThis.peer.dialPeer(peer), infoB.peerId)
  assert.is(viaId.multiplexer, '/webrtc')
  const back = await b.evaluate(peer => globalThis.peer.dialPeer(peer), infoA.peerId)
  assert.is(back.multiplexer, '/webrtc')
})

test('ping both ways over the WebRTC connection', async () => {
  const ab = await a.evaluate(peer => globalThis.peer.ping(peer), infoB.peerId)
  const ba = await b.evaluate(peer => globalThis.peer.ping(peer), infoA.peerId)
  assert.ok(ab > 0 && ab < 5000, `A→B rtt ${ab}`)
  assert.ok(ba > 0 && ba < 5000, `B→A rtt ${ba}`)
})

test('echo 1 MiB both ways, more than the relay would carry on a circuit', async () => {
  assert.ok(ECHO_BYTES > Number(relayNs.DEFAULT_CIRCUIT_DATA_BYTES) * 4)
  assert.is(await a.evaluate(([peer, n]) => globalThis.peer.echo(peer, n), [infoB.peerId, ECHO_BYTES]), true)
  assert.is(await b.evaluate(([peer, n]) => globalThis.peer.echo(peer, n), [infoA.peerId, ECHO_BYTES]), true)
})

test('the remote DTLS certificate is checked against the SDP fingerprint (Chromium shows it); one flipped bit is FingerprintMismatchError', async () => {
  const result = await a.evaluate(() => globalThis.peer.fingerprintCheck())
  assert.equal(result, { ok: true, mismatch: 'FingerprintMismatchError' })
})

test('A closes the WebRTC connection: B\'s side closes too, and no peer connection stays open', async () => {
  await a.evaluate(peer => globalThis.peer.closeWebRTC(peer), infoB.peerId)
  const seen = await connectionsWhen(b, infoA.peerId, list => !list.some(c => c.multiplexer === '/webrtc'))
  assert.not.ok(seen.some(c => c.multiplexer === '/webrtc'), JSON.stringify(seen))
  for (const page of [a, b]) assert.is((await page.evaluate(() => globalThis.peer.state())).openPeerConnections, 0)
})

test('no page errors', () => {
  assert.equal(errors, [])
})

test.run()
