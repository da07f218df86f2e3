// The `wasp2p start` connection log's refusal lines: one per refused inbound
// connection, naming the address, the error and what the dialer was told, and
// at most one a second (the rest counted into the next line), so a flood
// cannot flood the terminal. Driven by the connection manager's events.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import { logConnections } from '../../dist/cli/connection-log.js'
import { ConnectionManager, InboundRateLimitError, PendingUpgradeShedError } from '../../dist/connection-manager/index.js'

function fakeNode () {
  const node = new EventTarget()
  node.connectionManager = new ConnectionManager()
  return node
}

test('refusals are logged with the address, the error and the reason sent, throttled to one line a second', async () => {
  const node = fakeNode()
  const lines = []
  const log = logConnections(node, { log: l => lines.push(l), error: l => lines.push(l) })
  const refuse = () => node.connectionManager.dispatchEvent(new CustomEvent('inbound:refused', {
    detail: { remoteAddr: multiaddr('/ip4/203.0.113.5/tcp/4444'), reason: 'rate-limit', error: new InboundRateLimitError('ip4/203.0.113.5 opened connections too fast') }
  }))
  refuse(); refuse(); refuse()
  assert.is(lines.length, 1)
  assert.match(lines[0], /refused inbound connection from \/ip4\/203\.0\.113\.5\/tcp\/4444: InboundRateLimitError: .*told the dialer "rate-limit"/)
  await new Promise(resolve => setTimeout(resolve, 1100))
  refuse()
  assert.is(lines.length, 2)
  assert.match(lines[1], /and 2 more since the last such line/)
  log.stop()
  await new Promise(resolve => setTimeout(resolve, 1100)) // past the throttle: only stop() can silence it
  refuse()
  assert.is(lines.length, 2, 'nothing logged after stop()')
})

test('shed handshakes are logged with the address and how long they stalled, throttled apart from refusals', async () => {
  const node = fakeNode()
  const lines = []
  const log = logConnections(node, { log: l => lines.push(l), error: l => lines.push(l) })
  const shed = () => node.connectionManager.dispatchEvent(new CustomEvent('inbound:shed', {
    detail: { remoteAddr: multiaddr('/ip4/198.51.100.7/tcp/5555'), stalledMs: 1234.4, error: new PendingUpgradeShedError('stalled') }
  }))
  const refuse = () => node.connectionManager.dispatchEvent(new CustomEvent('inbound:refused', {
    detail: { remoteAddr: multiaddr('/ip4/203.0.113.5/tcp/4444'), error: new InboundRateLimitError('too fast') }
  }))
  shed(); shed()
  refuse() // its own throttle: a shed line does not swallow the first refusal
  assert.is(lines.length, 2)
  assert.match(lines[0], /shed a handshake from \/ip4\/198\.51\.100\.7\/tcp\/5555 stalled 1234 ms for a newcomer: PendingUpgradeShedError/)
  assert.match(lines[1], /refused inbound connection from/)
  await new Promise(resolve => setTimeout(resolve, 1100))
  shed()
  assert.is(lines.length, 3)
  assert.match(lines[2], /^shed a handshake.*\(and 1 more since the last such line\)$/)
  log.stop()
  await new Promise(resolve => setTimeout(resolve, 1100))
  shed()
  assert.is(lines.length, 3, 'nothing logged after stop()')
})

test.run()
