// Gossipsub v1.2 IDONTWANT, observed on the wire by a raw peer R that speaks /meshsub/1.2.0 by
// hand and sits in the mesh of a target T (a wasp2p node, then a js-libp2p node). A sender S,
// T's other mesh peer, publishes large (1 KiB) messages; messages are unsigned (StrictNoSign),
// so R knows their ids in advance (SHA-256 of the data). Shown for both targets:
//   - T, having received a large message, sends R an IDONTWANT for it (and none for a small one);
//   - after R's IDONTWANT for a message, T does not send R that message, while a large message
//     R did not refuse still reaches it.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fileURLToPath } from 'node:url'
import { createNode } from '../../dist/index.js'
import { sha256 } from '../../dist/crypto/index.js'
import { ByteReader } from '../../dist/stream/byte-reader.js'
import { writeLengthPrefixed } from '../../dist/stream/length-prefixed.js'
import { encodeRpc, decodeRpc, emptyControl, MAX_RPC_SIZE, MESHSUB_V12_PROTOCOL, IDONTWANT_MIN_DATA_SIZE } from '../../dist/pubsub/index.js'
import { startJsonLineChild } from '../helpers/json-line-child.js'
import { pubsubNode, waitFor, text } from './helpers.js'

const TOPIC = 'idontwant'
const SWARM = fileURLToPath(new URL('./helpers/js-gossipsub-swarm.mjs', import.meta.url))
/** After the control message arrived, how long R keeps watching for the refused message. */
const WATCH_MS = 1500
const hex = b => Buffer.from(b).toString('hex')
/** A 1 KiB ASCII body (the js driver publishes text), unique per tag. */
const large = tag => `${tag}:`.padEnd(1024, 'x')

const cleanups = []
test.after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

/** The raw peer: subscribes and GRAFTs on a 1.2 stream to `addr`; records every RPC T sends it. */
async function rawPeer (addr) {
  const node = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  const inbox = []
  node.handle(MESHSUB_V12_PROTOCOL, async stream => {
    const reader = new ByteReader(stream)
    try { while (true) inbox.push(decodeRpc(await reader.readLengthPrefixed(MAX_RPC_SIZE))) } catch { /* closed */ }
    stream.close().catch(() => { stream.reset() })
  })
  const stream = await node.dialProtocol(addr, MESHSUB_V12_PROTOCOL)
  cleanups.push(async () => { stream.reset(); for (const c of node.getConnections()) c.abort(new Error('raw peer gone')); await node.stop() })
  const send = async rpc => { await writeLengthPrefixed(stream, encodeRpc({ subscriptions: [], messages: [], ...rpc })) }
  await send({ subscriptions: [{ subscribe: true, topic: TOPIC }], control: { ...emptyControl(), graft: [{ topic: TOPIC }] } })
  return {
    node,
    id: node.peerId.toString(),
    send,
    idontwant: async ids => { await send({ control: { ...emptyControl(), idontwant: [{ messageIds: ids }] } }) },
    /** Bodies of the messages T sent R. */
    received: () => inbox.flatMap(r => r.messages).filter(m => m.topic === TOPIC).map(m => new TextDecoder().decode(m.data)),
    /** Whether T's own stream to R is open: T announced its subscription on it (it forwards only over that stream). */
    heardSubscription: () => inbox.some(r => r.subscriptions.some(x => x.topic === TOPIC && x.subscribe)),
    /** Hex ids in the IDONTWANTs T sent R. */
    dontWants: () => new Set(inbox.flatMap(r => r.control?.idontwant ?? []).flatMap(d => d.messageIds).map(hex))
  }
}

/** The scenario against one target: `publish(body)` publishes at S, `inMesh()` says whether R is in T's mesh. */
async function scenario (name, r, { publish, inMesh }) {
  await waitFor(inMesh, `R in ${name}'s mesh`)
  // The GRAFT went over R's stream; T forwards over its own, which it may open later (js-libp2p
  // opens it once identify says R speaks meshsub): a message published before would be lost.
  await waitFor(() => r.heardSubscription(), `${name}'s own stream to R`)
  // A small message: delivered to R, no IDONTWANT for it.
  const small = `${name} small`
  await publish(small)
  await waitFor(() => r.received().includes(small), `the small message at R (${name})`)
  assert.ok(text(small).length < IDONTWANT_MIN_DATA_SIZE)
  assert.not.ok(r.dontWants().has(hex(sha256(text(small)))), `${name} sends no IDONTWANT for a small message`)

  // R refuses `refused` before it is published; `wanted` it does not refuse.
  const refused = large(`${name} refused`)
  const wanted = large(`${name} wanted`)
  await r.idontwant([sha256(text(refused))])
  await new Promise(resolve => setTimeout(resolve, 200))
  await publish(refused)
  await publish(wanted)
  await waitFor(() => r.received().includes(wanted), `the unrefused large message at R (${name})`)
  await waitFor(() => r.dontWants().has(hex(sha256(text(refused)))) && r.dontWants().has(hex(sha256(text(wanted)))),
    `${name}'s IDONTWANTs for both large messages it received`)
  await new Promise(resolve => setTimeout(resolve, WATCH_MS))
  assert.not.ok(r.received().includes(refused), `${name} did not send R the message R said it did not want`)
  assert.is(r.received().filter(b => b === wanted).length, 1, 'the wanted one exactly once')
  assert.ok(await inMesh(), `R is still in ${name}'s mesh (the refusal came from IDONTWANT, not from leaving the mesh)`)
}

test('wasp2p target: IDONTWANT sent for large messages received, and honoured', async () => {
  const options = { pubsub: { signaturePolicy: 'StrictNoSign' } }
  const t = await pubsubNode(options)
  const s = await pubsubNode(options)
  cleanups.push(async () => { await t.stop(); await s.stop() })
  t.pubsub.subscribe(TOPIC)
  s.pubsub.subscribe(TOPIC)
  await s.dial(t.getMultiaddrs()[0])
  await waitFor(() => t.pubsub.getMeshPeers(TOPIC).some(p => p.equals(s.peerId)), 'S in T\'s mesh')
  const r = await rawPeer(t.getMultiaddrs()[0])
  await waitFor(() => t.pubsub.getPeerProtocol(r.node.peerId) !== undefined, 'T to know R')
  assert.is(t.pubsub.getPeerProtocol(r.node.peerId), MESHSUB_V12_PROTOCOL)
  await scenario('wasp2p', r, {
    publish: async body => { await s.pubsub.publish(TOPIC, text(body)) },
    inMesh: () => t.pubsub.getMeshPeers(TOPIC).some(p => p.equals(r.node.peerId))
  })
})

test('js-libp2p target (@libp2p/gossipsub 17): the same on the wire', async () => {
  // Two js nodes: 0 is T, 1 is S.
  const js = await startJsonLineChild(SWARM, ['2', JSON.stringify({ globalSignaturePolicy: 'StrictNoSign' })], { startTimeoutMs: 60_000, commandTimeoutMs: 30_000 })
  cleanups.push(async () => { await js.stop() })
  const [t, s] = js.info.peers
  for (const i of [0, 1]) await js.command({ cmd: 'subscribe', i, topic: TOPIC })
  const dialed = await js.command({ cmd: 'dial', i: 1, addr: t.addrs.find(a => !a.includes('/ws')) })
  assert.ok(dialed.ok, dialed.error)
  await waitFor(async () => (await js.command({ cmd: 'mesh', i: 0, topic: TOPIC })).peers.includes(s.peerId), 'S in T\'s mesh')
  const r = await rawPeer(t.addrs.find(a => !a.includes('/ws')))
  await scenario('js-libp2p', r, {
    publish: async body => { const out = await js.command({ cmd: 'publish', i: 1, topic: TOPIC, text: body }); assert.ok(out.ok, out.error) },
    inMesh: async () => (await js.command({ cmd: 'mesh', i: 0, topic: TOPIC })).peers.includes(r.id)
  })
})

test.run()
