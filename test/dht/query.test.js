// Iterative lookup on an in-process simulated network (test/dht/_sim.js, no sockets):
// 200 nodes, 20% of them failing (half refuse, half never answer), every lookup checked
// against brute force; plus concurrency, timeouts, abort, progress and early stop.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { QueryAbortedError, QueryTimeoutError, lookup } from '../../dist/dht/query.js'
import { MessageType, dhtMessage } from '../../dist/dht/message.js'
import { contactOf, kadKey } from '../../dist/dht/contact.js'
import { createNetwork } from './helpers/sim.js'

const keyString = c => c.key.join()
const REQUEST_TIMEOUT_MS = 40

async function inBatches (items, width, fn) {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(fn))
}

test('200 nodes, 20% failing: every lookup finds the k nearest live nodes (brute force)', async () => {
  const net = await createNetwork({ size: 200, seed: 3, deadFraction: 0.2, hangingFraction: 0.1 })
  const options = { requestTimeoutMs: REQUEST_TIMEOUT_MS }
  // Spec bootstrap, at start-up and once more as the periodic run: each node looks up its own
  // id; peers that fail on the way leave the tables and replacements take their places.
  // (Kademlia heals stale tables this way; without it the 20th-nearest live node is
  // occasionally known only to tables whose k entries near the key include dead ones.)
  for (let round = 0; round < 2; round++) {
    await inBatches(net.nodes.filter(n => n.alive), 20, n => net.lookupFrom(n, n.id, MessageType.FIND_NODE, options))
  }
  const live = net.nodes.filter(n => n.alive)
  assert.is(live.length, 160)
  // Every node (dead ones too) is the target of 3 lookups, from 3 different live nodes.
  const jobs = []
  for (const [i, target] of net.nodes.entries()) {
    for (const step of [1, 2, 3]) jobs.push([live[(i * 3 + step * 41) % live.length], target])
  }
  let failuresMet = 0
  let exact = 0
  await inBatches(jobs, 20, async ([from, target]) => {
    if (from === target) return
    const result = await net.lookupFrom(from, target.id, MessageType.FIND_NODE, options)
    failuresMet += result.failed
    const want = net.bruteForceClosest(target.id, 20, from)
    assert.equal(result.closest.map(keyString), want.map(keyString))
    if (target.alive) assert.is(keyString(result.closest[0]), keyString(target))
    exact++
  })
  assert.ok(exact >= 590, `${exact} lookups checked`)
  assert.ok(failuresMet > 0, 'lookups met failing nodes')
  net.close()
})

test('at most alpha requests are in flight, and alpha are used', async () => {
  const net = await createNetwork({ size: 60, seed: 5 })
  const from = net.nodes[0]
  for (const alpha of [1, 3, 5]) {
    let inflight = 0, peak = 0, requests = 0, progressRequests = 0
    const send = net.sender(from)
    const result = await lookup({
      key: net.nodes[1].id,
      request: dhtMessage({ type: MessageType.FIND_NODE, key: net.nodes[1].id }),
      seeds: from.table.closestPeers(kadKey(net.nodes[1].id), 20),
      selfKey: from.key,
      alpha,
      sendRequest: async (peer, message, signal) => {
        requests++
        peak = Math.max(peak, ++inflight)
        try { await new Promise(resolve => setTimeout(resolve, 1)); return await send(peer, message, signal) } finally { inflight-- }
      },
      onProgress: e => { if (e.type === 'request') progressRequests++ }
    })
    assert.is(peak, alpha)
    assert.is(result.queried, requests)
    assert.is(progressRequests, requests)
    assert.is(result.answered + result.failed, requests)
    assert.is(result.closest.length, 20)
  }
  net.close()
})

test('per-request timeout counts a silent peer as failed and moves on', async () => {
  const net = await createNetwork({ size: 40, seed: 6 })
  const from = net.nodes[0]
  const silent = from.table.closestPeers(kadKey(net.nodes[5].id), 1)[0]
  const send = net.sender(from)
  const errors = []
  const result = await lookup({
    key: net.nodes[5].id,
    request: dhtMessage({ type: MessageType.FIND_NODE, key: net.nodes[5].id }),
    seeds: from.table.closestPeers(kadKey(net.nodes[5].id), 20),
    selfKey: from.key,
    requestTimeoutMs: 30,
    // Ignores its signal on purpose: the lookup must not depend on the sender honouring it.
    sendRequest: (peer, message, signal) => keyString(peer) === keyString(silent) ? new Promise(() => {}) : send(peer, message, signal),
    onProgress: e => { if (e.type === 'error') errors.push(e) }
  })
  assert.is(errors.length, 1)
  assert.is(errors[0].error.name, 'QueryTimeoutError')
  assert.is(result.failed, 1)
  assert.not.ok(result.closest.some(p => keyString(p) === keyString(silent)))
  net.close()
})

test('query timeout and abort reject with named errors and abort requests in flight', async () => {
  const net = await createNetwork({ size: 30, seed: 7 })
  const from = net.nodes[0]
  const signals = []
  const hang = (peer, message, signal) => { signals.push(signal); return new Promise(() => {}) }
  const base = {
    key: net.nodes[3].id,
    request: dhtMessage({ type: MessageType.FIND_NODE, key: net.nodes[3].id }),
    seeds: from.table.closestPeers(kadKey(net.nodes[3].id), 20),
    selfKey: from.key,
    sendRequest: hang
  }
  try {
    await lookup({ ...base, queryTimeoutMs: 30 })
    assert.unreachable('should time out')
  } catch (err) {
    assert.instance(err, QueryTimeoutError)
    assert.is(err.name, 'QueryTimeoutError')
  }
  assert.is(signals.length, 3)
  assert.ok(signals.every(s => s.aborted))

  signals.length = 0
  const controller = new AbortController()
  const pending = lookup({ ...base, signal: controller.signal })
  setTimeout(() => controller.abort(), 10)
  try {
    await pending
    assert.unreachable('should abort')
  } catch (err) {
    assert.instance(err, QueryAbortedError)
  }
  assert.ok(signals.length > 0 && signals.every(s => s.aborted))
  try { await lookup({ ...base, signal: AbortSignal.abort() }); assert.unreachable() } catch (err) { assert.instance(err, QueryAbortedError) }
  net.close()
})

test('GET_VALUE lookups stop at the first valid record; providers are found', async () => {
  const net = await createNetwork({ size: 80, seed: 8 })
  await net.bootstrap()
  // A /pk/ record: an Ed25519 public key under its identity multihash.
  const publicKey = new Uint8Array([0x08, 0x01, 0x12, 0x20, ...net.nodes[9].id.subarray(6)])
  const key = new Uint8Array([...new TextEncoder().encode('/pk/'), 0x00, 0x24, ...publicKey])
  const holders = net.bruteForceClosest(key, 20)
  for (const n of holders.slice(0, 5)) await n.records.put({ key, value: publicKey, timeReceived: '' })
  const from = net.nodes.find(n => !holders.includes(n))
  let found
  const result = await net.lookupFrom(from, key, MessageType.GET_VALUE, {
    onResponse: (peer, response) => { if (response.record !== undefined) { found = response.record; return true } }
  })
  assert.ok(result.stopped)
  assert.equal(found.value, publicKey)

  const cid = new Uint8Array([0x12, 0x20, ...kadKey(new Uint8Array([1, 2, 3]))])
  const provider = net.nodes[11]
  const targets = (await net.lookupFrom(provider, cid)).closest
  const send = net.sender(provider)
  for (const t of targets) {
    await send(t, dhtMessage({ type: MessageType.ADD_PROVIDER, key: cid, providerPeers: [{ id: provider.id, addrs: provider.addrs, connection: 0 }] }), AbortSignal.timeout(1000))
  }
  const seeker = net.nodes[12]
  let providers = []
  await net.lookupFrom(seeker, cid, MessageType.GET_PROVIDERS, {
    onResponse: (peer, response) => { providers = response.providerPeers; return providers.length > 0 }
  })
  assert.equal(providers.map(p => p.id), [provider.id])
  assert.equal(providers[0].addrs, provider.addrs)
  net.close()
})

test('lookups over an empty or unreachable seed set end at once', async () => {
  const result = await lookup({ key: new Uint8Array([1]), request: dhtMessage({ type: MessageType.FIND_NODE }), seeds: [], sendRequest: async () => { throw new Error('no') } })
  assert.equal(result, { closest: [], queried: 0, answered: 0, failed: 0, stopped: false })
  const seeds = [contactOf(new Uint8Array([1, 2])), contactOf(new Uint8Array([3, 4]))]
  const failing = await lookup({ key: new Uint8Array([1]), request: dhtMessage({ type: MessageType.FIND_NODE }), seeds, sendRequest: async () => { throw new Error('no') } })
  assert.is(failing.failed, 2)
  assert.equal(failing.closest, [])
})

test.run()
