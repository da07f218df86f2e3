// AutoNAT v2 messages (src/autonat/message.ts): round trips, the wire bytes of a
// DialRequest and a DialBack worked out by hand from the spec's proto, proto3
// defaults, and each malformation's named error.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  encodeMessage, decodeMessage, encodeDialBack, decodeDialBack, encodeDialBackResponse, decodeDialBackResponse,
  readFrame, ResponseStatus, DialStatus, AUTONAT_MAX_ADDRS_PER_REQUEST, AUTONAT_MAX_MESSAGE_BYTES, AUTONAT_DIAL_DATA_CHUNK_BYTES,
  AutonatMessageError, AutonatAddressCountError, AutonatDialDataFloodError, AutonatMessageTooLargeError
} from '../../dist/autonat/index.js'
import { ByteReader, encodeVarint } from '../../dist/stream/byte-reader.js'
import { multiaddr } from '@multiformats/multiaddr'

const hex = b => Array.from(b, x => x.toString(16).padStart(2, '0')).join('')

test('DialRequest: wire bytes by hand (Message.dialRequest = 1; addrs = 1; fixed64 nonce = 2, little-endian)', () => {
  const addr = multiaddr('/ip4/1.2.3.4/tcp/80').bytes // 04 01020304 06 0050: 8 bytes
  const bytes = encodeMessage({ type: 'dialRequest', addrs: [addr], nonce: 0x0102030405060708n })
  assert.is(hex(addr), '040102030406' + '0050')
  assert.is(hex(bytes), '0a' + '13' + '0a' + '08' + hex(addr) + '11' + '0807060504030201')
  const back = decodeMessage(bytes)
  assert.is(back.type, 'dialRequest')
  assert.equal(back.addrs.map(a => multiaddr(a).toString()), ['/ip4/1.2.3.4/tcp/80'])
  assert.is(back.nonce, 0x0102030405060708n)
})

test('round trips: DialResponse, DialDataRequest, DialDataResponse; the largest nonce', () => {
  for (const m of [
    { type: 'dialResponse', status: ResponseStatus.OK, addrIdx: 3, dialStatus: DialStatus.E_DIAL_BACK_ERROR },
    { type: 'dialResponse', status: ResponseStatus.E_INTERNAL_ERROR, addrIdx: 0, dialStatus: DialStatus.UNUSED },
    { type: 'dialDataRequest', addrIdx: 1, numBytes: 75_000n },
    { type: 'dialRequest', addrs: [], nonce: 0xffffffffffffffffn }
  ]) assert.equal(decodeMessage(encodeMessage(m)), m)
  const data = new Uint8Array(AUTONAT_DIAL_DATA_CHUNK_BYTES).fill(7)
  const d = decodeMessage(encodeMessage({ type: 'dialDataResponse', data }))
  assert.is(d.data.length, data.length)
})

test('DialBack and DialBackResponse: fixed64 nonce = 1; an OK response is empty (proto3 default)', () => {
  assert.is(hex(encodeDialBack(1n)), '09' + '0100000000000000')
  assert.is(decodeDialBack(encodeDialBack(0xdeadbeefcafef00dn)), 0xdeadbeefcafef00dn)
  assert.is(encodeDialBackResponse().length, 0)
  assert.is(decodeDialBackResponse(new Uint8Array(0)), 0)
  assert.is(decodeDialBackResponse(Uint8Array.from([0x08, 0x05])), 5)
})

test('malformed: empty oneof, truncated, wrong wire type — AutonatMessageError', () => {
  assert.throws(() => decodeMessage(new Uint8Array(0)), e => e instanceof AutonatMessageError && e.name === 'AutonatMessageError')
  assert.throws(() => decodeMessage(Uint8Array.from([0x0a, 0x10, 0x0a])), e => e instanceof AutonatMessageError)
  assert.throws(() => decodeMessage(Uint8Array.from([0x08, 0x01])), e => e instanceof AutonatMessageError)
  assert.throws(() => decodeDialBack(Uint8Array.from([0x09, 0x01, 0x02])), e => e instanceof AutonatMessageError)
})

test('too many addresses: AutonatAddressCountError; a dial-data chunk over 4096 bytes: AutonatDialDataFloodError', () => {
  const addr = multiaddr('/ip4/8.8.8.8/tcp/1').bytes
  const ok = Array.from({ length: AUTONAT_MAX_ADDRS_PER_REQUEST }, () => addr)
  assert.is(decodeMessage(encodeMessage({ type: 'dialRequest', addrs: ok, nonce: 1n })).addrs.length, AUTONAT_MAX_ADDRS_PER_REQUEST)
  assert.throws(() => decodeMessage(encodeMessage({ type: 'dialRequest', addrs: [...ok, addr], nonce: 1n })),
    e => e instanceof AutonatAddressCountError && e.name === 'AutonatAddressCountError')
  assert.throws(() => decodeMessage(encodeMessage({ type: 'dialDataResponse', data: new Uint8Array(AUTONAT_DIAL_DATA_CHUNK_BYTES + 1) })),
    e => e instanceof AutonatDialDataFloodError && e.name === 'AutonatDialDataFloodError')
})

test('readFrame: a length over AUTONAT_MAX_MESSAGE_BYTES is AutonatMessageTooLargeError before any body is read', async () => {
  async function * source () { yield encodeVarint(AUTONAT_MAX_MESSAGE_BYTES + 1) }
  try {
    await readFrame(new ByteReader(source()))
    assert.unreachable('accepted')
  } catch (e) {
    assert.instance(e, AutonatMessageTooLargeError)
    assert.is(e.name, 'AutonatMessageTooLargeError')
  }
  async function * short () { yield Uint8Array.from([5, 1, 2]) }
  try {
    await readFrame(new ByteReader(short()))
    assert.unreachable('accepted')
  } catch (e) { assert.instance(e, AutonatMessageError) }
})

test.run()
