// WebRTC through a relay that sets no limits (`circuitRelayServer({ limit: false })`):
// the relayed connection the signaling runs on is then not `limited`, and a
// dial of the `/p2p-circuit/webrtc` address must still open the direct
// connection rather than reuse the relayed one.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { requireChromium } from '../helpers/browser.js'
import { bundlePage, connectionsWhen, launchChromium, openPeerPage, serve, startRelay } from './harness.js'
import { runInOwnNamespace } from '../helpers/own-namespace.js'

// ICE must not reach the machine's real interface: the whole file runs in a namespace of its own.
await runInOwnNamespace(import.meta.url)

requireChromium('test/webrtc/unlimited-relay.node.test.js')

const test = suite('webrtc through a relay without limits')
let relay, server, browser, a, b, infoA, infoB
const errors = []

test.before(async () => {
  const dir = await bundlePage('wasp2p-page.js')
  ;[relay, server, browser] = await Promise.all([startRelay({ limit: false }), serve(dir), launchChromium()])
  a = await openPeerPage(browser, server.base, errors)
  b = await openPeerPage(browser, server.base, errors)
  const relayAddr = relay.getMultiaddrs().find(m => m.toString().includes('/ws')).toString()
  infoA = await a.evaluate(addr => globalThis.peer.start(addr), relayAddr)
  infoB = await b.evaluate(addr => globalThis.peer.start(addr), relayAddr)
})

test.after(async () => {
  for (const p of [a, b]) await p?.evaluate(() => globalThis.peer.stop()).catch(() => {})
  await browser?.close()
  server?.close()
  await relay?.stop()
})

test('an unlimited relayed connection first, then the dial of the WebRTC address goes direct', async () => {
  const circuit = infoB.addrs.find(x => x.includes('/p2p-circuit/p2p/'))
  const relayed = await a.evaluate(addr => globalThis.peer.dial(addr), circuit)
  assert.is(relayed.limited, false)
  assert.ok(relayed.remoteAddr.includes('/p2p-circuit/p2p/'), relayed.remoteAddr)
  const conn = await a.evaluate(addr => globalThis.peer.dial(addr), infoB.addrs.find(x => x.includes('/p2p-circuit/webrtc/')))
  assert.is(conn.multiplexer, '/webrtc')
  const seen = await connectionsWhen(b, infoA.peerId, list => list.some(c => c.multiplexer === '/webrtc'))
  assert.ok(seen.some(c => c.multiplexer === '/webrtc'), JSON.stringify(seen))
  // By id, the direct one is chosen.
  assert.is((await a.evaluate(peer => globalThis.peer.dialPeer(peer), infoB.peerId)).multiplexer, '/webrtc')
  assert.is(await a.evaluate(([peer, n]) => globalThis.peer.echo(peer, n), [infoB.peerId, 256 * 1024]), true)
})

test('no page errors', () => {
  assert.equal(errors, [])
})

test.run()
