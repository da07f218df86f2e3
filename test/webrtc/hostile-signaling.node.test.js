// Bad input on /webrtc-signaling/0.0.1 (webrtc.md "Signaling Protocol"), in
// headless Chromium: a wasp2p page plays a hostile dialer against a listening
// wasp2p page through the relay. Each misbehaviour ends in a named error on
// the listener (its `webrtc:signaling-failed` event), a reset signaling
// stream, no RTCPeerConnection left open, and a listener that still accepts
// a well-behaved dial afterwards.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { requireChromium } from '../helpers/browser.js'
import { bundlePage, launchChromium, openPeerPage, serve, startRelay } from './harness.js'
import { runInOwnNamespace } from '../helpers/own-namespace.js'

// ICE must not reach the machine's real interface: the whole file runs in a namespace of its own.
await runInOwnNamespace(import.meta.url)

requireChromium('test/webrtc/hostile-signaling.node.test.js')

/** The listener's signaling deadline here, so that the silent dialer is cut quickly. */
const SIGNALING_TIMEOUT_MS = 3000

const CASES = {
  'answer-instead-of-offer': 'SignalingError',
  oversized: 'MalformedSignalingMessageError',
  garbage: 'MalformedSignalingMessageError',
  'no-fingerprint': 'FingerprintMismatchError',
  'bad-candidate': 'MalformedSignalingMessageError',
  'candidate-flood': 'SignalingError',
  silent: 'SignalingError'
}

const test = suite('webrtc: hostile signaling')
let relay, server, browser, attacker, victim, victimInfo
const errors = []

test.before(async () => {
  const dir = await bundlePage('wasp2p-page.js')
  ;[relay, server, browser] = await Promise.all([startRelay(), serve(dir), launchChromium()])
  attacker = await openPeerPage(browser, server.base, errors)
  victim = await openPeerPage(browser, server.base, errors)
  const relayAddr = relay.getMultiaddrs().find(m => m.toString().includes('/ws')).toString()
  await attacker.evaluate(addr => globalThis.peer.start(addr), relayAddr)
  victimInfo = await victim.evaluate(([addr, ms]) => globalThis.peer.start(addr, { signalingTimeoutMs: ms }), [relayAddr, SIGNALING_TIMEOUT_MS])
  victimInfo.webrtcAddr = victimInfo.addrs.find(a => a.includes('/p2p-circuit/webrtc/p2p/'))
})

test.after(async () => {
  for (const p of [attacker, victim]) await p?.evaluate(() => globalThis.peer.stop()).catch(() => {})
  await browser?.close()
  server?.close()
  await relay?.stop()
})

for (const [kind, name] of Object.entries(CASES)) {
  test(`${kind}: ${name} on the listener, the stream reset, no peer connection left open`, async () => {
    const before = (await victim.evaluate(() => globalThis.peer.state())).failures.length
    const result = await attacker.evaluate(([addr, kind]) => globalThis.peer.hostileSignaling(addr, kind), [victimInfo.webrtcAddr, kind])
    assert.is(result.outcome, 'reset', JSON.stringify(result))
    let state
    for (let i = 0; i < 50; i++) {
      state = await victim.evaluate(() => globalThis.peer.state())
      if (state.failures.length > before && state.openPeerConnections === 0) break
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    assert.equal(state.failures.slice(before), [name])
    assert.is(state.openPeerConnections, 0)
  })
}

test('the listener still takes a well-behaved WebRTC dial', async () => {
  const conn = await attacker.evaluate(addr => globalThis.peer.dial(addr), victimInfo.webrtcAddr)
  assert.is(conn.multiplexer, '/webrtc')
  assert.is(await attacker.evaluate(([peer, n]) => globalThis.peer.echo(peer, n), [victimInfo.peerId, 4096]), true)
})

test('no page errors', () => {
  assert.equal(errors, [])
})

test.run()
