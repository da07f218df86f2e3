// The hop / stop messages and vouchers against js-libp2p's own protobuf
// codec (@libp2p/circuit-relay-v2's pb module): what we encode, js decodes
// to the same fields and re-encodes to the same bytes, and the reverse.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fileURLToPath } from 'node:url'
import { generateKeyPair, peerIdFromPrivateKey } from '../../dist/index.js'
import {
  encodeHopMessage, decodeHopMessage, encodeStopMessage, decodeStopMessage, HopType, StopType, RelayStatus,
  ReservationVoucher, sealVoucher, openVoucher, MalformedRelayMessageError, MAX_RELAY_MESSAGE_ADDRS
} from '../../dist/relay/index.js'
import { equalBytes } from '../helpers/bytes.js'

const pbPath = fileURLToPath(new URL('../../node_modules/@libp2p/circuit-relay-v2/dist/src/pb/index.js', import.meta.url))
const js = await import(pbPath)

const test = suite('circuit relay v2 messages, byte-compatible with js-libp2p')

test('RESERVE and CONNECT: js decodes ours, re-encodes the same bytes', () => {
  const reserve = encodeHopMessage({ type: HopType.RESERVE })
  assert.is(js.HopMessage.decode(reserve).type, js.HopMessage.Type.RESERVE)
  assert.ok(equalBytes(js.HopMessage.encode(js.HopMessage.decode(reserve)), reserve))
  const id = Uint8Array.from({ length: 38 }, (_, i) => i)
  const connect = encodeHopMessage({ type: HopType.CONNECT, peer: { id, addrs: [Uint8Array.of(4, 127, 0, 0, 1)] } })
  const decoded = js.HopMessage.decode(connect)
  assert.is(decoded.type, js.HopMessage.Type.CONNECT)
  assert.ok(equalBytes(decoded.peer.id, id))
  assert.ok(equalBytes(js.HopMessage.encode(decoded), connect))
})

test('a reservation answer with a voucher, both directions', async () => {
  const relayKey = await generateKeyPair('Ed25519')
  const relay = peerIdFromPrivateKey(relayKey)
  const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  const expire = 1_900_000_000n
  const voucher = await sealVoucher(new ReservationVoucher({ relay, peer, expiration: expire }), relayKey)
  const ours = encodeHopMessage({
    type: HopType.STATUS, status: RelayStatus.OK,
    reservation: { expire, addrs: [Uint8Array.of(4, 10, 0, 0, 1, 6, 0x0f, 0xa1)], voucher },
    limit: { durationSeconds: 120, dataBytes: 131072n }
  })
  const theirs = js.HopMessage.decode(ours)
  assert.is(theirs.status, js.Status.OK)
  assert.is(theirs.reservation.expire, expire)
  assert.is(theirs.limit.duration, 120)
  assert.is(theirs.limit.data, 131072n)
  assert.ok(equalBytes(theirs.reservation.voucher.payload.relay, relay.multihash))
  assert.ok(equalBytes(theirs.reservation.voucher.payload.peer, peer.multihash))
  assert.is(theirs.reservation.voucher.payload.expiration, expire)
  const back = js.HopMessage.encode(theirs)
  assert.ok(equalBytes(back, ours), 'js re-encodes our bytes exactly')
  const decoded = decodeHopMessage(back)
  assert.ok((await openVoucher(decoded.reservation.voucher, { relay, peer, expiration: expire })).relay.equals(relay))
})

test('stop CONNECT and STATUS from js decode here', () => {
  const id = Uint8Array.from({ length: 38 }, (_, i) => 255 - i)
  const connect = js.StopMessage.encode({ type: js.StopMessage.Type.CONNECT, peer: { id, addrs: [] }, limit: { duration: 7, data: 9n } })
  const m = decodeStopMessage(connect)
  assert.is(m.type, StopType.CONNECT)
  assert.ok(equalBytes(m.peer.id, id))
  assert.equal(m.limit, { durationSeconds: 7, dataBytes: 9n })
  const status = js.StopMessage.encode({ type: js.StopMessage.Type.STATUS, status: js.Status.CONNECTION_FAILED })
  assert.is(decodeStopMessage(status).status, RelayStatus.CONNECTION_FAILED)
  assert.ok(equalBytes(encodeStopMessage(decodeStopMessage(status)), status))
})

test('decode limits: too many addresses, truncated input', () => {
  const many = encodeHopMessage({ type: HopType.CONNECT, peer: { id: Uint8Array.of(0, 1, 2), addrs: Array.from({ length: MAX_RELAY_MESSAGE_ADDRS + 1 }, () => Uint8Array.of(4)) } })
  assert.throws(() => decodeHopMessage(many), err => err instanceof MalformedRelayMessageError)
  assert.throws(() => decodeHopMessage(Uint8Array.of(0x12, 0x05, 0x0a)), err => err.name === 'MalformedRelayMessageError')
  assert.throws(() => decodeStopMessage(new Uint8Array(5000)), err => err.name === 'MalformedRelayMessageError')
})

test.run()
