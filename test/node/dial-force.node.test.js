// dial({ force: true }) (src/node/dialer.ts): a new connection even when one to the peer
// is open, by PeerId address or by bare address, and never shared between concurrent
// forced dials; without force the open connection is reused, as before.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode } from '../../dist/index.js'

let a, b
test.before(async () => {
  a = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  b = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
})
test.after(async () => { await Promise.all([a, b].map(async n => { await n?.stop() })) })

test('without force the open connection is reused; with force each dial is a new one', async () => {
  const addr = b.getMultiaddrs()[0]
  const first = await a.dial(addr)
  assert.is(await a.dial(addr), first)
  const bare = addr.toString().replace(/\/p2p\/.*$/, '')
  assert.is(await a.dial(bare), first, 'a bare address to the same peer: the open one')
  const [x, y] = await Promise.all([a.dial(addr, { force: true }), a.dial(bare, { force: true })])
  assert.is.not(x, first)
  assert.is.not(y, first)
  assert.is.not(x, y, 'concurrent forced dials share nothing')
  assert.is(a.getConnections(b.peerId).length, 3)
  await x.close()
  await y.close()
  assert.is(first.status, 'open', 'closing a forced connection leaves the first alone')
  assert.is(a.getConnections(b.peerId).length, 1)
})

test.run()
