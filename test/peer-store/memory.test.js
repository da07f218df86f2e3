// The in-memory peer store against the peer-store compliance suite (./suite.js), plus what
// only it has: a synchronous constructor that checks its options.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { MemoryPeerStore } from '../../dist/peer-store/index.js'
import { peerStoreSuite } from './suite.js'

peerStoreSuite('memory', async options => new MemoryPeerStore(options))

test('maxPeers must be a positive integer', () => {
  assert.throws(() => new MemoryPeerStore({ maxPeers: 0 }), RangeError)
  assert.throws(() => new MemoryPeerStore({ maxPeers: 1.5 }), RangeError)
})

test.run()
