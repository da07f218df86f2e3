// Hostile input to a wasp2p gossipsub node from a raw peer that writes RPCs by hand on a
// /meshsub/1.1.0 stream: oversized frames, undecodable frames, invalid signatures, duplicate
// flooding, IWANT floods, IHAVE floods, GRAFT during backoff, subscription floods. Each is
// rejected (not delivered, not forwarded), scored, and leaves the victim's memory bounded.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode } from '../../dist/index.js'
import { ByteReader } from '../../dist/stream/byte-reader.js'
import { encodeVarint } from '../../dist/stream/byte-reader.js'
import { writeLengthPrefixed } from '../../dist/stream/length-prefixed.js'
import {
  encodeRpc, decodeRpc, buildMessage, SeqnoCounter, msgIdFromOrigin, emptyControl,
  MAX_RPC_SIZE, MAX_IHAVE_LENGTH, MAX_TOPICS_PER_PEER, GOSSIP_RETRANSMISSION, MESHSUB_V11_PROTOCOL, RpcTooLargeError, InvalidRpcError
} from '../../dist/pubsub/index.js'
import { pubsubNode, waitFor, text, record } from './helpers.js'

const TOPIC = 'hostile'
/** P4 counts only in topics with score parameters: the victim scores TOPIC. */
const VICTIM = { pubsub: { heartbeatIntervalMs: 200, scoreParams: { topics: { [TOPIC]: { meshMessageDeliveriesWeight: 0 } } } } }

let victim, witness, victimInbox, witnessInbox
const attackers = []
const attackerStreams = []

/** A raw peer: its own frames to the victim, and every RPC the victim sends it, decoded. */
async function attacker () {
  const node = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  attackers.push(node)
  const inbox = []
  node.handle(MESHSUB_V11_PROTOCOL, async stream => {
    const reader = new ByteReader(stream)
    try { while (true) inbox.push(decodeRpc(await reader.readLengthPrefixed(MAX_RPC_SIZE))) } catch { /* closed */ }
    stream.close().catch(() => { stream.reset() })
  })
  const stream = await node.dialProtocol(victim.getMultiaddrs()[0], MESHSUB_V11_PROTOCOL)
  const seqno = new SeqnoCounter()
  attackerStreams.push(stream)
  const a = {
    node,
    stream,
    inbox,
    id: node.peerId.toString(),
    send: async rpc => { await writeLengthPrefixed(stream, encodeRpc({ subscriptions: [], messages: [], ...rpc })) },
    message: async body => await buildMessage('StrictSign', { peerId: node.peerId, privateKey: node.privateKey }, seqno, TOPIC, text(body)),
    score: () => victim.pubsub.getScore(node.peerId)
  }
  await waitFor(() => victim.pubsub.router.peers.has(a.id), 'the victim to know the attacker')
  return a
}

test.before(async () => {
  victim = await pubsubNode(VICTIM)
  witness = await pubsubNode()
  await witness.dial(victim.getMultiaddrs()[0])
  victim.pubsub.subscribe(TOPIC)
  witness.pubsub.subscribe(TOPIC)
  victimInbox = record(victim.pubsub)
  witnessInbox = record(witness.pubsub)
  await waitFor(() => victim.pubsub.getMeshPeers(TOPIC).length === 1, 'victim and witness to mesh')
})

test.after(async () => {
  // A raw peer does not close politely: it drops its connections.
  for (const s of attackerStreams) s.reset()
  for (const a of attackers) for (const c of a.getConnections()) c.abort(new Error('attacker gone'))
  await Promise.all(attackers.map(async a => { await a.stop() }))
  await witness?.stop()
  await victim?.stop()
})

test('an RPC frame beyond MAX_RPC_SIZE: the stream is reset, the sender penalised, nothing of it buffered', async () => {
  const a = await attacker()
  const errors = []
  victim.pubsub.addEventListener('rpc-error', e => { errors.push(e.detail.error) })
  // Only the length prefix and a little data: the victim must refuse on the prefix, not read on.
  await a.stream.write(new Uint8Array([...encodeVarint(MAX_RPC_SIZE + 1), 1, 2, 3]))
  await waitFor(() => errors.length > 0, 'the refusal')
  assert.ok(errors[0] instanceof RpcTooLargeError, errors[0]?.name)
  assert.ok(a.score() < 0, `score ${a.score()}`)
  // The stream is dead: later writes fail or are never read (the victim reset it).
  const later = await a.send({ subscriptions: [{ subscribe: true, topic: 'after-reset' }] }).then(() => 'written', () => 'failed')
  await new Promise(resolve => setTimeout(resolve, 300))
  assert.not.ok(victim.pubsub.router.topics.has('after-reset'), `an RPC after the reset was processed (${later})`)
})

test('an undecodable RPC frame: InvalidRpcError, stream reset, penalised', async () => {
  const a = await attacker()
  const errors = []
  victim.pubsub.addEventListener('rpc-error', e => { errors.push(e.detail.error) })
  await writeLengthPrefixed(a.stream, Uint8Array.of(0x0a, 0x05, 0x08))
  await waitFor(() => errors.length > 0, 'the refusal')
  assert.ok(errors[0] instanceof InvalidRpcError)
  assert.ok(a.score() < 0)
})

test('invalid signatures: not delivered, not forwarded, P4 for the sender', async () => {
  const a = await attacker()
  await a.send({ subscriptions: [{ subscribe: true, topic: TOPIC }] })
  const good = await a.message('forged')
  const forged = { ...good, data: text('tampered') } // the signature no longer matches
  const unsigned = { topic: TOPIC, data: text('no signature') }
  await a.send({ messages: [forged, unsigned] })
  await waitFor(() => a.score() < 0, 'the penalty')
  await new Promise(resolve => setTimeout(resolve, 500))
  assert.not.ok(victimInbox.some(m => m.text === 'tampered' || m.text === 'no signature'))
  assert.not.ok(witnessInbox.some(m => m.text === 'tampered' || m.text === 'no signature'))
})

test('duplicate flooding: 1000 copies of one message are delivered and forwarded once, the seen cache grows by one', async () => {
  const a = await attacker()
  await a.send({ subscriptions: [{ subscribe: true, topic: TOPIC }] })
  const m = await a.message('dup')
  const seenBefore = victim.pubsub.router.seen.size
  for (let k = 0; k < 10; k++) await a.send({ messages: Array.from({ length: 100 }, () => m) })
  await waitFor(() => witnessInbox.some(x => x.text === 'dup'), 'the forwarded copy')
  await new Promise(resolve => setTimeout(resolve, 500))
  assert.is(victimInbox.filter(x => x.text === 'dup').length, 1)
  assert.is(witnessInbox.filter(x => x.text === 'dup').length, 1)
  assert.is(victim.pubsub.router.seen.size, seenBefore + 1)
  assert.ok(a.score() <= 0.0001 + 10, 'duplicates earn no first-delivery credit beyond the one')
})

test('IWANT flood: each cached message is served at most GOSSIP_RETRANSMISSION times, and asking for more ids than a heartbeat allows is penalised', async () => {
  const a = await attacker()
  await a.send({ subscriptions: [{ subscribe: true, topic: TOPIC }] })
  await waitFor(() => victim.pubsub.getSubscribers(TOPIC).some(p => p.toString() === a.id), 'the subscription')
  await victim.pubsub.publish(TOPIC, text('wanted'))
  await waitFor(() => a.inbox.some(r => r.messages.length > 0), 'the publication')
  const published = a.inbox.flatMap(r => r.messages).find(m => new TextDecoder().decode(m.data) === 'wanted')
  const id = msgIdFromOrigin(published)
  a.inbox.length = 0
  for (let k = 0; k < 10; k++) await a.send({ control: { ...emptyControl(), iwant: [{ messageIds: [id] }] } })
  await new Promise(resolve => setTimeout(resolve, 500))
  const served = a.inbox.flatMap(r => r.messages).length
  assert.is(served, GOSSIP_RETRANSMISSION)
  const scoreBefore = a.score()
  const junk = Array.from({ length: MAX_IHAVE_LENGTH + 10 }, (_, i) => new Uint8Array([i & 0xff, i >> 8, 7, 7]))
  await a.send({ control: { ...emptyControl(), iwant: [{ messageIds: junk }] } })
  await waitFor(() => a.score() < scoreBefore, 'the IWANT-flood penalty')
})

test('IHAVE flood: at most MAX_IHAVE_LENGTH ids are asked for per heartbeat; broken promises are penalised', async () => {
  const a = await attacker()
  await a.send({ subscriptions: [{ subscribe: true, topic: TOPIC }] })
  a.inbox.length = 0
  const ids = Array.from({ length: 3 * MAX_IHAVE_LENGTH }, (_, i) => new Uint8Array([9, i & 0xff, (i >> 8) & 0xff, i >> 16]))
  await a.send({ control: { ...emptyControl(), ihave: [{ topic: TOPIC, messageIds: ids }] } })
  await waitFor(() => a.inbox.some(r => r.control?.iwant.length > 0), 'the IWANT')
  const asked = a.inbox.flatMap(r => r.control?.iwant ?? []).flatMap(w => w.messageIds).length
  assert.ok(asked > 0 && asked <= MAX_IHAVE_LENGTH, `asked for ${asked}`)
  assert.ok(victim.pubsub.router.promiseCount <= 10 * attackers.length + 10, 'promises stay bounded')
  // The attacker never delivers: after IWANT_FOLLOWUP_MS the broken promise costs it.
  await waitFor(() => a.score() < 0, 'the broken-promise penalty', 10_000)
})

test('GRAFT during backoff: refused with a PRUNE, penalised twice inside the flood threshold; the mesh does not take the peer', async () => {
  const a = await attacker()
  await a.send({ subscriptions: [{ subscribe: true, topic: TOPIC }] })
  await a.send({ control: { ...emptyControl(), graft: [{ topic: TOPIC }] } })
  await waitFor(() => victim.pubsub.getMeshPeers(TOPIC).some(p => p.toString() === a.id), 'the first GRAFT to be accepted')
  await a.send({ control: { ...emptyControl(), prune: [{ topic: TOPIC, peers: [], backoff: 60 }] } })
  await waitFor(() => !victim.pubsub.getMeshPeers(TOPIC).some(p => p.toString() === a.id), 'the PRUNE')
  assert.ok(victim.pubsub.router.backoff.get(TOPIC).get(a.id) > Date.now() + 50_000, 'the victim backs off for the 60 s asked')
  a.inbox.length = 0
  await a.send({ control: { ...emptyControl(), graft: [{ topic: TOPIC }] } })
  await waitFor(() => a.inbox.some(r => r.control?.prune.some(p => p.topic === TOPIC)), 'the PRUNE answer')
  assert.not.ok(victim.pubsub.getMeshPeers(TOPIC).some(p => p.toString() === a.id))
  // Two behaviour-penalty points (backoff + flood): −10 · 2² = −40, minus whatever decay ran since.
  assert.ok(a.score() < -10, `score ${a.score()}`)
})

test('graylisted peers are ignored entirely; subscription floods are capped per peer', async () => {
  const a = await attacker()
  const topics = Array.from({ length: MAX_TOPICS_PER_PEER + 500 }, (_, i) => ({ subscribe: true, topic: `flood-${i}` }))
  await a.send({ subscriptions: topics })
  await waitFor(() => (victim.pubsub.router.peers.get(a.id)?.topics.size ?? 0) > 0, 'the subscriptions')
  await new Promise(resolve => setTimeout(resolve, 200))
  assert.is(victim.pubsub.router.peers.get(a.id).topics.size, MAX_TOPICS_PER_PEER)
  // 1000 points: −10⁷, still below the graylist threshold (−80) after the three decays (×0.2 each) this test can span.
  victim.pubsub.router.score.addPenalty(a.id, 1000)
  await a.send({ subscriptions: [{ subscribe: true, topic: TOPIC }], messages: [await a.message('graylisted')] })
  await new Promise(resolve => setTimeout(resolve, 500))
  assert.not.ok(victimInbox.some(m => m.text === 'graylisted'))
  assert.not.ok(victim.pubsub.router.peers.get(a.id).topics.has(TOPIC))
})

test('the victim still works for honest peers after all of it', async () => {
  await witness.pubsub.publish(TOPIC, text('still fine'))
  await waitFor(() => victimInbox.some(m => m.text === 'still fine'), 'an honest message')
  const mem = victim.pubsub.router
  assert.ok(mem.seen.size < 100 && mem.mcache.size < 100, `seen ${mem.seen.size}, mcache ${mem.mcache.size}`)
})

test.run()
