// WebRTC browser-to-browser interop with js-libp2p (@libp2p/webrtc 6): in
// headless Chromium, wasp2p pages and js-libp2p pages (js-libp2p 3, bundled
// with esbuild) reserve on one wasp2p relay (Node, circuit relay v2 over
// WebSocket) and listen on `<relay>/p2p-circuit/webrtc`. Both directions:
// wasp2p dials the js page's WebRTC address, and a js page dials a wasp2p
// page's. On each direct connection both sides ping and echo 1 MiB (more
// than the relay's circuit data limit), and both see a WebRTC connection,
// not the relayed one.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { requireChromium } from '../helpers/browser.js'
import { bundlePage, connectionsWhen, launchChromium, openPeerPage, serve, startRelay } from './harness.js'
import { runInOwnNamespace } from '../helpers/own-namespace.js'

// ICE must not reach the machine's real interface: the whole file runs in a namespace of its own.
await runInOwnNamespace(import.meta.url)

requireChromium('test/webrtc/js-libp2p-interop.node.test.js')

const ECHO_BYTES = 1024 * 1024
const test = suite('webrtc: wasp2p ↔ js-libp2p in Chromium pages')
let relay, browser, wasp2pServer, jsServer, relayAddr
const servers = []
const errors = []
const pages = []

async function startPeer (server) {
  const page = await openPeerPage(browser, server.base, errors)
  pages.push(page)
  const info = await page.evaluate(addr => globalThis.peer.start(addr), relayAddr)
  return { page, ...info, webrtcAddr: info.addrs.find(a => a.includes('/p2p-circuit/webrtc/p2p/')) }
}

test.before(async () => {
  const [wasp2pDir, jsDir] = await Promise.all([bundlePage('wasp2p-page.js'), bundlePage('js-libp2p-page.js')])
  ;[relay, wasp2pServer, jsServer, browser] = await Promise.all([startRelay(), serve(wasp2pDir), serve(jsDir), launchChromium()])
  servers.push(wasp2pServer, jsServer)
  relayAddr = relay.getMultiaddrs().find(m => m.toString().includes('/ws')).toString()
})

test.after(async () => {
  for (const page of pages) await page.evaluate(() => globalThis.peer.stop()).catch(() => {})
  await browser?.close()
  for (const s of servers) s.close()
  await relay?.stop()
})

/** Checks the direct connection from both ends, then pings and echoes over it both ways. */
async function exercise (dialer, listener) {
  const conn = await dialer.page.evaluate(addr => globalThis.peer.dial(addr), listener.webrtcAddr)
  assert.is(conn.remotePeer, listener.peerId)
  assert.is(conn.limited, false)
  assert.ok(conn.remoteAddr.includes('/webrtc'), conn.remoteAddr)
  const seen = await connectionsWhen(listener.page, dialer.peerId, list => list.some(c => c.remoteAddr.includes('/webrtc')))
  const inbound = seen.find(c => c.remoteAddr.includes('/webrtc'))
  assert.ok(inbound, JSON.stringify(seen))
  assert.is(inbound.direction, 'inbound')
  assert.is(inbound.limited, false)
  for (const [from, to] of [[dialer, listener], [listener, dialer]]) {
    const rtt = await from.page.evaluate(peer => globalThis.peer.ping(peer), to.peerId)
    assert.ok(rtt >= 0 && rtt < 5000, `rtt ${rtt}`)
    assert.is(await from.page.evaluate(([peer, n]) => globalThis.peer.echo(peer, n), [to.peerId, ECHO_BYTES]), true, `echo ${from.kind} → ${to.kind}`)
  }
}

test('wasp2p dials js-libp2p: ping and echo both ways over WebRTC', async () => {
  const js = { kind: 'js-libp2p', ...await startPeer(jsServer) }
  const w = { kind: 'wasp2p', ...await startPeer(wasp2pServer) }
  assert.ok(js.webrtcAddr, js.addrs.join(' '))
  await exercise(w, js)
  const ours = await w.page.evaluate(peer => globalThis.peer.connections(peer), js.peerId)
  const direct = ours.find(c => c.multiplexer === '/webrtc')
  assert.ok(direct, JSON.stringify(ours))
  assert.is(direct.encryption, 'dtls')
})

test('js-libp2p dials wasp2p: ping and echo both ways over WebRTC', async () => {
  const w = { kind: 'wasp2p', ...await startPeer(wasp2pServer) }
  const js = { kind: 'js-libp2p', ...await startPeer(jsServer) }
  assert.ok(w.webrtcAddr, w.addrs.join(' '))
  await exercise(js, w)
  const ours = await connectionsWhen(w.page, js.peerId, list => list.some(c => c.multiplexer === '/webrtc'))
  assert.ok(ours.some(c => c.multiplexer === '/webrtc' && c.direction === 'inbound'), JSON.stringify(ours))
})

test('no page errors', () => {
  assert.equal(errors, [])
})

test.run()
