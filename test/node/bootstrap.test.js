// Bootstrap over the memory transport: peers dialed on start, re-dialed with
// backoff after the connection is lost (here: the peer restarts with the same
// key and address), retried after failed dials, and nothing scheduled after stop().
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode, Bootstrapper, BOOTSTRAP_INITIAL_BACKOFF_MS, BOOTSTRAP_MAX_BACKOFF_MS, BOOTSTRAP_TAG, BOOTSTRAP_TAG_VALUE } from '../../dist/node/index.js'
import { generateKeyPair } from '../../dist/keys/index.js'
import { memory } from '../../dist/transport/index.js'
import { multiaddr } from '../../dist/multiaddr/index.js'

const BACKOFF = { initialBackoffMs: 50, maxBackoffMs: 400 }

function nextEvent (target, name, predicate = () => true, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { target.removeEventListener(name, on); reject(new Error(`no ${name} within ${ms} ms`)) }, ms)
    function on (event) {
      if (!predicate(event.detail)) return
      clearTimeout(timer)
      target.removeEventListener(name, on)
      resolve(event.detail)
    }
    target.addEventListener(name, on)
  })
}

test('a bootstrap peer is dialed on start and re-dialed after it restarts', async () => {
  const key = await generateKeyPair('Ed25519')
  const name = `/memory/boot-${Math.random().toString(36).slice(2)}`
  let peer = await createNode({ privateKey: key, transports: [memory()], listen: [name] })
  const bootAddr = peer.getMultiaddrs()[0].toString()
  const isPeer = id => id.equals(peer.peerId)
  const node = await createNode({ transports: [memory()], start: false, bootstrap: [bootAddr], bootstrapBackoff: BACKOFF })
  const connected = nextEvent(node, 'peer:connect', isPeer)
  await node.start()
  await connected
  assert.is(node.getConnections(peer.peerId).length, 1)
  const stored = await node.peerStore.get(peer.peerId)
  assert.is(stored.tags.get(BOOTSTRAP_TAG)?.value, BOOTSTRAP_TAG_VALUE, 'tagged against pruning')
  assert.ok(stored.addresses.some(a => a.multiaddr.toString() === name), 'its address is in the peer store')

  const lost = nextEvent(node, 'peer:disconnect', isPeer)
  await peer.stop()
  await lost
  // Down for a while: the re-dials fail and back off, and must keep going.
  await new Promise(resolve => setTimeout(resolve, 300))
  const back = nextEvent(node, 'peer:connect', isPeer)
  peer = await createNode({ privateKey: key, transports: [memory()], listen: [name] })
  await back
  assert.is(node.getConnections(peer.peerId).length, 1)

  await node.stop()
  await peer.stop()
})

test('Bootstrapper: backoff grows on failures, resets on success, and stop() cancels the timers', async () => {
  const addr = multiaddr('/memory/nowhere')
  const times = []
  let fail = true
  const b = new Bootstrapper({
    addrs: [addr], initialBackoffMs: 20, maxBackoffMs: 80,
    dial: async () => { times.push(Date.now()); if (fail) throw new Error('down') }
  })
  b.start()
  await new Promise(resolve => setTimeout(resolve, 400))
  const gaps = times.slice(1).map((t, i) => t - times[i])
  assert.ok(times.length >= 4 && times.length <= 12, `${times.length} dials`)
  assert.ok(gaps[0] < gaps[2], `backoff grows: ${gaps}`)
  assert.ok(gaps.every(g => g <= 80 * 1.2 + 30), `capped: ${gaps}`)
  b.stop()
  const count = times.length
  await new Promise(resolve => setTimeout(resolve, 200))
  assert.is(times.length, count, 'no dial after stop()')
  assert.ok(BOOTSTRAP_INITIAL_BACKOFF_MS < BOOTSTRAP_MAX_BACKOFF_MS)
  fail = false
})

test.run()
