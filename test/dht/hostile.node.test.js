// Hostile inputs to a wasp2p DHT server over real connections (loopback TCP, Noise,
// yamux): an oversized message, bogus records (the validator rejects them, nothing is
// stored), and a flood of FIND_NODE requests (the per-peer rate limit cuts it off while
// other peers are still served).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode } from '../../dist/index.js'
import {
  PROTOCOL_ID, MessageType, dhtMessage, requestOverStream, frameMessage, readMessage,
  MAX_MESSAGE_BYTES, InvalidRecordError
} from '../../dist/dht/index.js'
import { ByteReader, encodeVarint } from '../../dist/stream/byte-reader.js'
import { loopbackNode, testRules, withDht } from './helpers/swarm.js'

const REQUEST_TIMEOUT_MS = 10_000
/** Small limits so the flood test is quick: 40 requests at once, then 20/s. */
const BURST = 40
const PER_SECOND = 20
const FLOOD = 200

const enc = new TextEncoder()
let server, attacker, honest
test.before(async () => {
  server = await createNode(withDht({ ...loopbackNode, dht: { mode: 'server', refreshIntervalMs: 0, ...testRules, kad: { rateLimit: { burst: BURST, perSecond: PER_SECOND } } } }))
  attacker = await createNode({ listen: [] })
  honest = await createNode({ listen: [] })
})
test.after(async () => { await Promise.all([server, attacker, honest].map(async n => { await n?.stop() })) })

const target = () => server.getMultiaddrs()[0].toString()
async function request (from, message) {
  const stream = await from.dialProtocol(target(), PROTOCOL_ID)
  return await requestOverStream(stream, message, AbortSignal.timeout(REQUEST_TIMEOUT_MS))
}
const findNode = () => dhtMessage({ type: MessageType.FIND_NODE, key: new Uint8Array([0, 4, 1, 2, 3, 4]) })

/** Reads until the stream ends or fails; resolves with the bytes received and how it ended. */
async function drain (stream) {
  let bytes = 0
  try {
    for await (const chunk of stream) bytes += chunk.length
    return { bytes, ended: 'end' }
  } catch (err) {
    return { bytes, ended: 'error', err }
  }
}

test('an oversized message: the stream ends without an answer; the server keeps serving', async () => {
  const stream = await attacker.dialProtocol(target(), PROTOCOL_ID)
  // Announce one byte more than MAX_MESSAGE_BYTES, then start sending it.
  await stream.write(encodeVarint(MAX_MESSAGE_BYTES + 1))
  stream.write(new Uint8Array(64 * 1024)).catch(() => {})
  const outcome = await Promise.race([drain(stream), new Promise(resolve => setTimeout(() => resolve({ ended: 'timeout' }), REQUEST_TIMEOUT_MS))])
  assert.is.not(outcome.ended, 'timeout')
  assert.is(outcome.bytes, 0)
  const answer = await request(honest, findNode())
  assert.is(answer.type, MessageType.FIND_NODE)
})

test('a message that announces a sane length but is garbage: no answer, server fine', async () => {
  const stream = await attacker.dialProtocol(target(), PROTOCOL_ID)
  const junk = new Uint8Array(100).fill(0xff)
  await stream.write(new Uint8Array([...encodeVarint(junk.length), ...junk]))
  const outcome = await drain(stream)
  assert.is(outcome.bytes, 0)
  assert.is((await request(honest, findNode())).type, MessageType.FIND_NODE)
})

test('bogus records: PUT_VALUE the validator rejects is not echoed and not stored', async () => {
  const cases = [
    { key: enc.encode('/test/bogus'), value: new Uint8Array([0xff, 1, 2]) }, // the /test/ validator refuses 0xff…
    { key: enc.encode('/nope/x'), value: enc.encode('no validator for this namespace') }, // no validator → rejected
    { key: enc.encode('/pk/not-a-multihash'), value: enc.encode('not a public key') } // built-in /pk/ rule
  ]
  for (const { key, value } of cases) {
    let refused = false
    try {
      await request(attacker, dhtMessage({ type: MessageType.PUT_VALUE, key, record: { key, value, timeReceived: '' } }))
    } catch { refused = true }
    assert.ok(refused, `record under ${new TextDecoder().decode(key)} was accepted`)
    const got = await request(honest, dhtMessage({ type: MessageType.GET_VALUE, key }))
    assert.is(got.record, undefined)
  }
  // A valid one goes through, so the refusals above were the validator's doing.
  const key = enc.encode('/test/good'), value = enc.encode('fine')
  const echoed = await request(attacker, dhtMessage({ type: MessageType.PUT_VALUE, key, record: { key, value, timeReceived: '' } }))
  assert.equal(echoed.record.value, value)
})

test('node.dht.put of a record its own validator rejects throws InvalidRecordError', async () => {
  try {
    await server.dht.put(enc.encode('/test/local-bogus'), new Uint8Array([0xff]))
    assert.unreachable('accepted')
  } catch (err) {
    assert.instance(err, Error)
    assert.is(err.name, 'Error', 'the /test/ validator throws its own error') // validator errors propagate as thrown
  }
  try {
    await server.dht.put(enc.encode('/unknown/x'), new Uint8Array([1]))
    assert.unreachable('accepted')
  } catch (err) {
    assert.instance(err, InvalidRecordError)
  }
})

test('a FIND_NODE flood is cut off by the per-peer rate limit; other peers are still served', async () => {
  // Ten streams on one connection, each firing requests back to back until the server gives up on it.
  const frame = frameMessage(findNode())
  const started = performance.now()
  let answered = 0, cutOff = 0
  const STREAMS = 10
  await Promise.all(Array.from({ length: STREAMS }, async () => {
    let stream
    try {
      stream = await attacker.dialProtocol(target(), PROTOCOL_ID)
    } catch { cutOff++; return }
    const reader = new ByteReader(stream)
    try {
      for (let i = 0; i < FLOOD / STREAMS; i++) {
        await stream.write(frame)
        const answer = await readMessage(reader)
        if (answer === undefined) throw new Error('stream ended')
        assert.is(answer.type, MessageType.FIND_NODE)
        answered++
      }
      await stream.close()
    } catch {
      cutOff++
    }
  }))
  const elapsedS = (performance.now() - started) / 1000
  assert.ok(answered >= BURST / 2, `only ${answered} answered`)
  assert.ok(answered <= BURST + PER_SECOND * elapsedS + 1, `${answered} answered in ${elapsedS.toFixed(2)} s: the limit did not hold`)
  assert.ok(cutOff > 0, 'no stream was cut off')
  // Another peer is unaffected.
  assert.is((await request(honest, findNode())).type, MessageType.FIND_NODE)
})

test.run()
