// The protocol services as a node runs them, on two nodes joined by the in-memory
// transport: ping, identify (with a real signed peer record) on every new connection,
// push after a change, opt-in perf, and a clean stop that unregisters every handler.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  createNode, identifyService, perfService, DEFAULT_AGENT_VERSION, PING_PROTOCOL, IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, PERF_PROTOCOL
} from '../../dist/index.js'
import { memory } from '../../dist/transport/index.js'
import { waitFor } from '../helpers/wait.js'

const mem = options => createNode({ transports: [memory()], listen: ['/memory/0'], ...options })


test('two nodes: ping, identify with a certified record, push after a change, perf only where enabled', async () => {
  const a = await mem({ services: { identify: identifyService({ pushDebounce: 10 }) } })
  const b = await mem({ services: { identify: identifyService({ agentVersion: 'b/1' }), perf: perfService() } })
  try {
    assert.equal(a.getProtocols().sort(), [IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, PING_PROTOCOL].sort())
    assert.ok(b.getProtocols().includes(PERF_PROTOCOL))
    assert.is(a.services.perf, undefined)

    // identify runs on every new connection and is announced as peer:identify
    const identified = new Promise(resolve => a.addEventListener('peer:identify', e => resolve(e.detail), { once: true }))
    const ab = await a.dial(b.getMultiaddrs()[0])
    const event = await identified
    assert.is(event.agentVersion, 'b/1')
    assert.ok(await a.services.ping.ping(ab) >= 0)

    const result = await a.services.identify.identify(ab)
    assert.is(result.agentVersion, 'b/1')
    assert.ok(result.peerRecord !== undefined, 'b\'s record verified')
    assert.equal(result.listenAddrs.map(String), b.getMultiaddrs().map(m => m.toString().replace(/\/p2p\/.*$/, '')), '/p2p/ stripped from listen addresses')
    assert.ok(result.protocols.includes(PERF_PROTOCOL))

    const r = await a.perf(b.getMultiaddrs()[0], { upload: 1000, download: 2000 })
    assert.is(r.downloadBytes, 2000)

    // b learns of a's new protocol through push (the node's self:peer:update)
    await waitFor(async () => (await b.peerStore.get(a.peerId))?.protocols.includes(IDENTIFY_PUSH_PROTOCOL), 'b to identify a')
    a.handle('/late/1.0.0', () => {})
    await waitFor(async () => (await b.peerStore.get(a.peerId))?.protocols.includes('/late/1.0.0'), 'the push of /late/1.0.0')
  } finally {
    await a.stop()
    await b.stop()
  }
  assert.equal(a.getProtocols(), ['/late/1.0.0'], 'the services unregistered their handlers; the application\'s stays')
  assert.equal(b.getProtocols(), [])
  assert.is(DEFAULT_AGENT_VERSION, 'wasp2p/0.1.0')
})

test.run()
