// A js-libp2p 3 dialer (a separate process) refused by a wasp2p node's
// inbound rate limit (loopback treated as public, burst 1): its second dial
// fails cleanly in protocol selection (our `na` before Noise), not with a
// connection reset, and the node announces the refusal with its reason.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode } from '../../dist/index.js'
import { startJsProtocolsPeer } from './fixtures/js-protocols-peer-process.js'
import { withTimeout } from '../helpers/bytes.js'

test('js-libp2p refused by the rate limit fails in protocol selection, not with ECONNRESET', async () => {
  const node = await createNode({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    connectionManager: { exemptLoopback: false, inboundConnectionBurstPerHost: 1, inboundConnectionsPerHostPerSecond: 0.001 }
  })
  const refusals = []
  node.connectionManager.addEventListener('inbound:refused', e => { refusals.push([e.detail.reason, e.detail.error.name]) })
  const js = await startJsProtocolsPeer()
  try {
    const addr = node.getMultiaddrs()[0].toString()
    const first = await withTimeout(js.command({ cmd: 'identify', addr }), 20_000, 'first dial')
    assert.ok(first.ok, first.error)
    await Promise.all(node.getConnections().map(c => c.close()))
    const second = await withTimeout(js.command({ cmd: 'identify', addr }), 20_000, 'second dial')
    assert.not.ok(second.ok, 'the second dial must be refused')
    assert.match(second.error, /could not negotiate \/noise|Protocol selection failed/)
    assert.not.match(second.error, /ECONNRESET|reset/i)
    assert.equal(refusals, [['rate-limit', 'InboundRateLimitError']])
  } finally {
    await js.stop()
    await node.stop()
  }
})

test.run()
