// DCUtR on loopback, hostile input on /libp2p/dcutr (the hole punch itself
// is proven through NATs in dcutr-nat.node.test.js; on loopback there is no
// NAT to drop an early SYN, so the loser of the race is refused with a RST
// and a punch is a matter of luck): a stream on a direct connection, too many or
// useless addresses, oversized messages, SYNC first. Each gets a reset
// stream; the node keeps serving.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ECHO_PROTOCOL, echoHandler } from '../../dist/index.js'
import { circuitRelayServer, circuitRelayTransport } from '../../dist/relay/index.js'
import { dcutr, DCUTR_PROTOCOL, HolePunchType, encodeHolePunch, decodeHolePunch, MAX_DCUTR_ADDRS, MAX_DCUTR_MESSAGE_SIZE } from '../../dist/dcutr/index.js'
import { ByteReader, encodeVarint } from '../../dist/stream/byte-reader.js'
import { encodeLengthPrefixed } from '../../dist/stream/length-prefixed.js'
import { multiaddr } from '../../dist/index.js'
import { startRelayNode } from '../relay/helpers/relay-node.js'
import { withTimeout } from '../helpers/bytes.js'

const T = 20_000

function nextEvent (node, name, ms = T) {
  return withTimeout(new Promise(resolve => node.addEventListener(name, e => resolve(e.detail), { once: true })), ms, name)
}

async function setup ({ hostile = false } = {}) {
  const relay = await startRelayNode({ services: { relay: circuitRelayServer({ limit: false }) } })
  const relayAddr = relay.getMultiaddrs()[0].toString()
  const victim = await startRelayNode({
    listen: ['/ip4/127.0.0.1/tcp/0', `${relayAddr}/p2p-circuit`],
    services: { circuit: circuitRelayTransport(), dcutr: dcutr({ dialTimeoutMs: 2000, maxAttempts: hostile ? 1 : 3, relayCloseGraceMs: 500 }) }
  })
  victim.handle(ECHO_PROTOCOL, echoHandler)
  const other = await startRelayNode({ services: hostile ? { circuit: circuitRelayTransport() } : { circuit: circuitRelayTransport(), dcutr: dcutr({ dialTimeoutMs: 2000, relayCloseGraceMs: 500 }) } })
  const circuit = `${relayAddr}/p2p-circuit/p2p/${victim.peerId}`
  return { relay, victim, other, circuit, stop: async () => { await Promise.all([victim.stop(), other.stop()]); await relay.stop() } }
}

const test = suite('DCUtR: loopback and hostile input')

/** Opens /libp2p/dcutr from the hostile side on `connection`, writes `bytes`, returns how the stream ended. */
async function probe (connection, bytes) {
  const stream = await connection.newStream(DCUTR_PROTOCOL)
  if (bytes.length > 0) await stream.write(bytes).catch(() => {})
  const reader = new ByteReader(stream)
  return await withTimeout(reader.readLengthPrefixed(MAX_DCUTR_MESSAGE_SIZE).then(m => decodeHolePunch(m), err => err), T, 'victim answer')
}

test('hostile input on /libp2p/dcutr: each gets a reset stream, the node keeps serving', async () => {
  const t = await setup({ hostile: true })
  try {
    const relayed = await withTimeout(t.other.dial(t.circuit), T, 'relayed dial')
    const third = await startRelayNode({ services: {} })
    const direct = await third.dial(t.victim.getMultiaddrs().find(a => !a.toString().includes('p2p-circuit')))
    assert.ok(!direct.remoteAddr.toString().includes('/p2p-circuit'), 'a direct connection')
    const absurd = Array.from({ length: MAX_DCUTR_ADDRS + 1 }, (_, i) => multiaddr(`/ip4/127.0.0.1/tcp/${1000 + i}`).bytes)
    const useless = [multiaddr('/dns4/example.invalid/tcp/1').bytes, multiaddr(`${t.circuit}`).bytes, Uint8Array.of(0xff, 0xff)]
    const cases = [
      ['a stream on a direct connection', direct, encodeLengthPrefixed(encodeHolePunch({ type: HolePunchType.CONNECT, obsAddrs: [multiaddr('/ip4/127.0.0.1/tcp/1').bytes] }))],
      ['an absurd address list', relayed, encodeLengthPrefixed(encodeHolePunch({ type: HolePunchType.CONNECT, obsAddrs: absurd }))],
      ['no dialable address', relayed, encodeLengthPrefixed(encodeHolePunch({ type: HolePunchType.CONNECT, obsAddrs: useless }))],
      ['an oversized message', relayed, encodeVarint(MAX_DCUTR_MESSAGE_SIZE + 1)],
      ['SYNC first', relayed, encodeLengthPrefixed(encodeHolePunch({ type: HolePunchType.SYNC, obsAddrs: [] }))],
      ['garbage', relayed, encodeLengthPrefixed(Uint8Array.of(0x08))]
    ]
    for (const [what, connection, bytes] of cases) {
      const outcome = await probe(connection, bytes)
      assert.ok(outcome instanceof Error, `${what}: no CONNECT answer (got ${JSON.stringify(outcome)})`)
      assert.ok(['StreamResetError', 'MultistreamError', 'UnexpectedEndError', 'UnsupportedProtocolError'].includes(outcome.name) || outcome.name.endsWith('Error'), `${what}: ${outcome.name}`)
    }
    // The victim still answers on both connections.
    assert.is(relayed.status, 'open')
    const stream = await relayed.newStream(ECHO_PROTOCOL)
    await stream.write(Uint8Array.of(1, 2, 3))
    await stream.closeWrite()
    const chunks = []
    for await (const c of stream) chunks.push(...c)
    assert.equal(chunks, [1, 2, 3])
    await third.stop()
  } finally { await t.stop() }
})

test('the inbound relayed side without a DCUtR peer reports dcutr:failed and keeps the relayed connection', async () => {
  const t = await setup({ hostile: true })
  try {
    const failed = nextEvent(t.victim, 'dcutr:failed')
    const relayed = await withTimeout(t.other.dial(t.circuit), T, 'relayed dial')
    const { error } = await failed
    assert.is(error.name, 'HolePunchFailedError')
    assert.is(relayed.status, 'open')
  } finally { await t.stop() }
})

test('HolePunch decode limits', () => {
  const many = encodeHolePunch({ type: HolePunchType.CONNECT, obsAddrs: Array.from({ length: MAX_DCUTR_ADDRS + 1 }, () => Uint8Array.of(4)) })
  assert.throws(() => decodeHolePunch(many), err => err.name === 'MalformedDcutrMessageError')
  assert.throws(() => decodeHolePunch(new Uint8Array(0)), err => err.name === 'MalformedDcutrMessageError')
  assert.throws(() => decodeHolePunch(new Uint8Array(MAX_DCUTR_MESSAGE_SIZE + 1)), err => err.name === 'MalformedDcutrMessageError')
  assert.equal(decodeHolePunch(encodeHolePunch({ type: HolePunchType.SYNC, obsAddrs: [] })), { type: HolePunchType.SYNC, obsAddrs: [] })
})

test.run()
