// Hostile input against circuit relay v2: reservation floods (total, per IP,
// one peer refreshing in a loop), circuit floods, malformed / oversized /
// out-of-place hop and stop messages, a silent client, and bogus vouchers.
// Each gets its status code or named error and a closed stream; the
// relay's tables stay within their caps.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { generateKeyPair, peerIdFromPrivateKey, RecordEnvelope, multiaddr } from '../../dist/index.js'
import {
  circuitRelayServer, circuitRelayTransport, RelayStatus, HopType, StopType, RELAY_HOP_PROTOCOL, RELAY_STOP_PROTOCOL,
  encodeHopMessage, decodeHopMessage, encodeStopMessage, decodeStopMessage, ReservationVoucher, sealVoucher, openVoucher,
  MAX_RELAY_MESSAGE_SIZE, VOUCHER_DOMAIN
} from '../../dist/relay/index.js'
import { reserve } from '../../dist/relay/client/reserve.js'
import { ByteReader, encodeVarint } from '../../dist/stream/byte-reader.js'
import { encodeLengthPrefixed } from '../../dist/stream/length-prefixed.js'
import { startRelayNode } from './helpers/relay-node.js'
import { withTimeout } from '../helpers/bytes.js'

const T = 20_000

/** Opens a raw hop (or stop) stream from `from` to `to`, writes `bytes`, reads one answer (or the end). */
async function exchange (from, to, protocol, bytes, decode) {
  const connection = await from.dial(to.getMultiaddrs()[0])
  const stream = await connection.newStream(protocol)
  if (bytes.length > 0) await stream.write(bytes)
  const reader = new ByteReader(stream)
  const answer = decode(await withTimeout(reader.readLengthPrefixed(MAX_RELAY_MESSAGE_SIZE), T, 'answer'))
  // The other side closes after a refusal: the stream ends (or is reset), it does not hang.
  const end = await withTimeout(reader.readExactly(1).then(() => 'more data', err => err.name), T, 'stream end')
  return { answer, end }
}

const hop = (from, relay, bytes) => exchange(from, relay, RELAY_HOP_PROTOCOL, bytes, decodeHopMessage)

const test = suite('circuit relay v2: hostile input')

test('reservation flood: at most maxReservations held, the rest RESERVATION_REFUSED', async () => {
  const relay = await startRelayNode({ services: { relay: circuitRelayServer({ maxReservations: 3, maxReservationsPerIp: 100 }) } })
  const clients = await Promise.all(Array.from({ length: 6 }, () => startRelayNode({ services: {} })))
  try {
    const statuses = []
    for (const c of clients) {
      const connection = await c.dial(relay.getMultiaddrs()[0])
      statuses.push(await reserve(connection, c.peerId).then(() => RelayStatus.OK, err => err.status))
    }
    assert.equal(statuses, [100, 100, 100, 200, 200, 200])
    assert.is(relay.services.relay.reservations.size, 3)
    // One peer refreshing in a loop holds one slot, not many.
    const first = clients[0]
    for (let i = 0; i < 20; i++) await reserve(first.getConnections(relay.peerId)[0], first.peerId)
    assert.is(relay.services.relay.reservations.size, 3)
    // A slot frees when its holder disconnects (spec: the reservation needs the connection).
    await first.hangUp(relay.peerId)
    await withTimeout((async () => { while (relay.services.relay.reservations.size !== 2) await new Promise(resolve => setTimeout(resolve, 20)) })(), T, 'slot freed')
    const late = clients[5]
    assert.ok((await reserve(late.getConnections(relay.peerId)[0], late.peerId)).voucher)
  } finally {
    await Promise.all(clients.map(c => c.stop()))
    await relay.stop()
  }
})

test('per-IP cap: peers behind one address get at most maxReservationsPerIp', async () => {
  const relay = await startRelayNode({ services: { relay: circuitRelayServer({ maxReservations: 10, maxReservationsPerIp: 2 }) } })
  const clients = await Promise.all(Array.from({ length: 4 }, () => startRelayNode({ services: {} })))
  try {
    const statuses = []
    for (const c of clients) statuses.push(await reserve(await c.dial(relay.getMultiaddrs()[0]), c.peerId).then(() => 100, err => err.status))
    assert.equal(statuses, [100, 100, RelayStatus.RESERVATION_REFUSED, RelayStatus.RESERVATION_REFUSED])
  } finally {
    await Promise.all(clients.map(c => c.stop()))
    await relay.stop()
  }
})

test('circuit flood: more than maxCircuitsPerPeer circuits get RESOURCE_LIMIT_EXCEEDED', async () => {
  const relay = await startRelayNode({ services: { relay: circuitRelayServer({ maxCircuitsPerPeer: 2, limit: false }) } })
  const relayAddr = relay.getMultiaddrs()[0].toString()
  const a = await startRelayNode({ listen: ['/ip4/127.0.0.1/tcp/0', `${relayAddr}/p2p-circuit`], services: { circuit: circuitRelayTransport() } })
  const b = await startRelayNode({ services: { circuit: circuitRelayTransport() } })
  try {
    const addr = multiaddr(`${relayAddr}/p2p-circuit/p2p/${a.peerId}`)
    const transport = b.services.circuit.transport
    const raws = []
    for (let i = 0; i < 2; i++) raws.push(await withTimeout(transport.dial(addr), T, 'circuit'))
    const err = await transport.dial(addr).catch(e => e)
    assert.is(err.name, 'RelayRefusedError')
    assert.is(err.status, RelayStatus.RESOURCE_LIMIT_EXCEEDED)
    assert.is(relay.services.relay.circuits.total, 2)
    for (const raw of raws) raw.abort(new Error('done'))
    await withTimeout((async () => { while (relay.services.relay.circuits.total !== 0) await new Promise(resolve => setTimeout(resolve, 20)) })(), T, 'circuits released')
  } finally {
    await Promise.all([a.stop(), b.stop()])
    await relay.stop()
  }
})

test('malformed and out-of-place hop messages: MALFORMED_MESSAGE / UNEXPECTED_MESSAGE, stream closed', async () => {
  const relay = await startRelayNode({ services: { relay: circuitRelayServer() } })
  const c = await startRelayNode({ services: {} })
  const refused = []
  relay.addEventListener('relay:refused', e => refused.push(e.detail.error.name))
  try {
    const cases = [
      ['garbage protobuf', encodeLengthPrefixed(Uint8Array.of(0xff, 0xff, 0xff)), RelayStatus.MALFORMED_MESSAGE],
      ['no type', encodeLengthPrefixed(new Uint8Array(0)), RelayStatus.MALFORMED_MESSAGE],
      ['oversized length prefix', encodeVarint(MAX_RELAY_MESSAGE_SIZE + 1), RelayStatus.MALFORMED_MESSAGE],
      ['a STATUS from a client', encodeLengthPrefixed(encodeHopMessage({ type: HopType.STATUS, status: RelayStatus.OK })), RelayStatus.UNEXPECTED_MESSAGE],
      ['an unknown type', encodeLengthPrefixed(encodeHopMessage({ type: 7 })), RelayStatus.UNEXPECTED_MESSAGE],
      ['CONNECT without a peer', encodeLengthPrefixed(encodeHopMessage({ type: HopType.CONNECT })), RelayStatus.MALFORMED_MESSAGE],
      ['CONNECT with a bogus peer id', encodeLengthPrefixed(encodeHopMessage({ type: HopType.CONNECT, peer: { id: Uint8Array.of(1, 2, 3), addrs: [] } })), RelayStatus.MALFORMED_MESSAGE],
      ['CONNECT to the client itself', encodeLengthPrefixed(encodeHopMessage({ type: HopType.CONNECT, peer: { id: c.peerId.multihash, addrs: [] } })), RelayStatus.PERMISSION_DENIED]
    ]
    for (const [what, bytes, status] of cases) {
      const { answer, end } = await hop(c, relay, bytes)
      assert.is(answer.type, HopType.STATUS, what)
      assert.is(answer.status, status, what)
      assert.is.not(end, 'more data', `${what}: stream closed after the answer`)
    }
    assert.ok(refused.includes('MalformedRelayMessageError'))
    assert.ok(refused.includes('UnexpectedRelayMessageError'))
    // A CONNECT naming a real, unreserved third peer: NO_RESERVATION.
    const d = await startRelayNode({ services: {} })
    try {
      const { answer } = await hop(c, relay, encodeLengthPrefixed(encodeHopMessage({ type: HopType.CONNECT, peer: { id: d.peerId.multihash, addrs: [] } })))
      assert.is(answer.status, RelayStatus.NO_RESERVATION)
    } finally { await d.stop() }
  } finally {
    await c.stop()
    await relay.stop()
  }
})

test('a client that sends nothing is cut off after the exchange deadline', async () => {
  const relay = await startRelayNode({ services: { relay: circuitRelayServer({ exchangeTimeoutMs: 500 }) } })
  const c = await startRelayNode({ services: {} })
  try {
    const stream = await (await c.dial(relay.getMultiaddrs()[0])).newStream(RELAY_HOP_PROTOCOL)
    const started = Date.now()
    const outcome = await withTimeout(new ByteReader(stream).readExactly(1).then(() => 'data', err => err.name), T, 'cut off')
    assert.is.not(outcome, 'data')
    assert.ok(Date.now() - started >= 400, 'not before the deadline')
  } finally {
    await c.stop()
    await relay.stop()
  }
})

test('stop handler: UNEXPECTED_MESSAGE, MALFORMED_MESSAGE, and CONNECTION_FAILED when not listening', async () => {
  const target = await startRelayNode({ services: { circuit: circuitRelayTransport() } })
  const fakeRelay = await startRelayNode({ services: {} })
  try {
    const stop = bytes => exchange(fakeRelay, target, RELAY_STOP_PROTOCOL, bytes, decodeStopMessage)
    let r = await stop(encodeLengthPrefixed(encodeStopMessage({ type: StopType.STATUS, status: RelayStatus.OK })))
    assert.is(r.answer.status, RelayStatus.UNEXPECTED_MESSAGE)
    r = await stop(encodeLengthPrefixed(Uint8Array.of(0x0a, 0x7f)))
    assert.is(r.answer.status, RelayStatus.MALFORMED_MESSAGE)
    r = await stop(encodeVarint(1 << 20))
    assert.is(r.answer.status, RelayStatus.MALFORMED_MESSAGE)
    r = await stop(encodeLengthPrefixed(encodeStopMessage({ type: StopType.CONNECT, peer: { id: Uint8Array.of(9), addrs: [] } })))
    assert.is(r.answer.status, RelayStatus.MALFORMED_MESSAGE)
    r = await stop(encodeLengthPrefixed(encodeStopMessage({ type: StopType.CONNECT, peer: { id: fakeRelay.peerId.multihash, addrs: [] } })))
    assert.is(r.answer.status, RelayStatus.CONNECTION_FAILED)
    for (const x of [r]) assert.is.not(x.end, 'more data')
  } finally {
    await Promise.all([target.stop(), fakeRelay.stop()])
  }
})

test('bogus vouchers: wrong signer, wrong peer, wrong expiry, wrong domain, tampered: InvalidVoucherError', async () => {
  const relayKey = await generateKeyPair('Ed25519')
  const otherKey = await generateKeyPair('Ed25519')
  const relay = peerIdFromPrivateKey(relayKey)
  const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  const voucher = new ReservationVoucher({ relay, peer, expiration: 1000n })
  const good = await sealVoucher(voucher, relayKey)
  assert.ok((await openVoucher(good, { relay, peer, expiration: 1000n })).peer.equals(peer))

  const cases = [
    ['signed by another key', await sealVoucher(voucher, otherKey), { relay, peer }],
    ['for another peer', good, { relay, peer: relay }],
    ['from another relay', good, { relay: peer, peer }],
    ['another expiry', good, { relay, peer, expiration: 999n }],
    ['another domain', (await RecordEnvelope.seal({ domain: 'libp2p-peer-record', codec: voucher.codec, marshal: () => voucher.marshal() }, relayKey)).marshal(), { relay, peer }],
    ['another payload type', (await RecordEnvelope.seal({ domain: VOUCHER_DOMAIN, codec: Uint8Array.of(3, 1), marshal: () => voucher.marshal() }, relayKey)).marshal(), { relay, peer }],
    ['tampered', (() => { const b = good.slice(); b[b.length - 1] ^= 1; return b })(), { relay, peer }],
    ['not an envelope', Uint8Array.of(1, 2, 3), { relay, peer }],
    ['garbage payload', (await RecordEnvelope.seal({ domain: VOUCHER_DOMAIN, codec: voucher.codec, marshal: () => Uint8Array.of(0xff) }, relayKey)).marshal(), { relay, peer }]
  ]
  for (const [what, bytes, expected] of cases) {
    const err = await openVoucher(bytes, expected).then(() => undefined, e => e)
    assert.is(err?.name, 'InvalidVoucherError', what)
  }
})

test('a relay answering RESERVE with a forged voucher: listening fails with ListenError (cause InvalidVoucherError)', async () => {
  const liar = await startRelayNode({ services: {} })
  const forger = await generateKeyPair('Ed25519')
  liar.handle(RELAY_HOP_PROTOCOL, async stream => {
    const reader = new ByteReader(stream)
    await reader.readLengthPrefixed(MAX_RELAY_MESSAGE_SIZE)
    const expire = BigInt(Math.floor(Date.now() / 1000) + 3600)
    const client = peerIdFromPrivateKey(forger) // the voucher names neither the client nor this relay correctly
    const voucher = await sealVoucher(new ReservationVoucher({ relay: liar.peerId, peer: client, expiration: expire }), forger)
    await stream.write(encodeLengthPrefixed(encodeHopMessage({ type: HopType.STATUS, status: RelayStatus.OK, reservation: { expire, addrs: [], voucher } })))
    await stream.close()
  })
  try {
    const err = await startRelayNode({ listen: [`${liar.getMultiaddrs()[0]}/p2p-circuit`], services: { circuit: circuitRelayTransport() } }).catch(e => e)
    assert.is(err.name, 'ListenError')
    assert.is(err.cause?.name, 'InvalidVoucherError')
  } finally { await liar.stop() }
})

test.run()
