// Hostile input to AutoNAT v2 over real loopback connections: each gets its named
// error (reported through the onError option) and a closed stream, and the server
// keeps serving honest clients. Oversized and malformed dial requests, too many
// addresses, a dial-data flood (empty chunks), an oversized dial-data chunk, a
// request rate over the per-peer limit (E_REQUEST_REJECTED), a server asking more
// dial data than the client pays, and a dial-back with a wrong nonce.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode, autonatV2, service, AUTONAT_DIAL_REQUEST_PROTOCOL, AUTONAT_DIAL_BACK_PROTOCOL } from '../../dist/index.js'
import {
  MessageStream, encodeMessage, encodeDialBack, ResponseStatus, DialStatus,
  AUTONAT_MAX_MESSAGE_BYTES, AUTONAT_MAX_ADDRS_PER_REQUEST, AUTONAT_MAX_DIAL_DATA_MESSAGES, AUTONAT_CLIENT_MAX_DIAL_DATA_BYTES,
  AutonatMessageError, AutonatMessageTooLargeError, AutonatAddressCountError, AutonatDialDataFloodError,
  AutonatRateLimitError, AutonatNonceMismatchError, AutonatDialDataLimitError
} from '../../dist/autonat/index.js'
import { encodeLengthPrefixed } from '../../dist/stream/length-prefixed.js'
import { encodeVarint } from '../../dist/stream/byte-reader.js'
import { multiaddr } from '@multiformats/multiaddr'

const WAIT_MS = 15_000
const PER_PEER = 4
const errors = []
let server, attacker, honest
test.before(async () => {
  const onError = (error, peer) => errors.push({ error, peer: peer?.toString() })
  server = await createNode({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    services: { autonat: autonatV2({ allowPrivateAddresses: true, client: false, maxRequestsPerPeer: PER_PEER, onError }) }
  })
  attacker = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  honest = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'], services: { autonat: autonatV2({ checkPrivateAddresses: true, server: false, client: false }) } })
})
test.after(async () => { await Promise.all([server, attacker, honest].map(async n => { await n?.stop() })) })

const target = () => server.getMultiaddrs()[0]
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** Reads until the stream ends or fails, within WAIT_MS. */
async function drain (stream) {
  const chunks = []
  const reading = (async () => {
    try {
      for await (const c of stream) chunks.push(c)
      return 'end'
    } catch { return 'error' }
  })()
  const ended = await Promise.race([reading, sleep(WAIT_MS).then(() => 'timeout')])
  return { ended, bytes: chunks.reduce((n, c) => n + c.length, 0) }
}

/** The next error the server reports, within WAIT_MS. */
async function nextError (count) {
  const deadline = Date.now() + WAIT_MS
  while (errors.length <= count && Date.now() < deadline) await sleep(20)
  return errors[count]?.error
}

async function expectRejected (write, ErrorClass) {
  const seen = errors.length
  const stream = await attacker.dialProtocol(target(), AUTONAT_DIAL_REQUEST_PROTOCOL)
  await write(stream)
  const outcome = await drain(stream)
  assert.is.not(outcome.ended, 'timeout', 'the stream was closed')
  const error = await nextError(seen)
  assert.instance(error, ErrorClass)
  assert.is(error.name, ErrorClass.name)
  return outcome
}

async function honestCheckWorks () {
  const connection = await honest.dial(target())
  const check = await honest.services.autonat.check(connection, honest.getMultiaddrs()[0].decapsulateCode(421))
  assert.is(check.outcome, 'reachable')
}

test('an oversized dial request: AutonatMessageTooLargeError, no answer', async () => {
  const outcome = await expectRejected(async s => {
    await s.write(encodeVarint(AUTONAT_MAX_MESSAGE_BYTES + 1))
    s.write(new Uint8Array(16 * 1024)).catch(() => {})
  }, AutonatMessageTooLargeError)
  assert.is(outcome.bytes, 0)
  await honestCheckWorks()
})

test('garbage and a wrong first message: AutonatMessageError', async () => {
  await expectRejected(async s => { await s.write(encodeLengthPrefixed(Uint8Array.from([0xff, 0xff, 0xff, 0xff]))) }, AutonatMessageError)
  await expectRejected(async s => {
    await s.write(encodeLengthPrefixed(encodeMessage({ type: 'dialDataResponse', data: new Uint8Array(8) })))
  }, AutonatMessageError)
})

test('too many addresses (and none): AutonatAddressCountError', async () => {
  const addr = multiaddr('/ip4/127.0.0.1/tcp/1').bytes
  await expectRejected(async s => {
    await s.write(encodeLengthPrefixed(encodeMessage({ type: 'dialRequest', addrs: Array.from({ length: AUTONAT_MAX_ADDRS_PER_REQUEST + 1 }, () => addr), nonce: 1n })))
  }, AutonatAddressCountError)
  await expectRejected(async s => { await s.write(encodeLengthPrefixed(encodeMessage({ type: 'dialRequest', addrs: [], nonce: 1n }))) }, AutonatAddressCountError)
})

// 127.0.0.2 is not the IP the attacker connects from (127.0.0.1): the server asks for dial data.
const otherIpRequest = () => encodeLengthPrefixed(encodeMessage({ type: 'dialRequest', addrs: [multiaddr('/ip4/127.0.0.2/tcp/9').bytes], nonce: 7n }))

test('a dial-data flood of empty chunks: AutonatDialDataFloodError after AUTONAT_MAX_DIAL_DATA_MESSAGES', async () => {
  await expectRejected(async s => {
    const messages = new MessageStream(s)
    await s.write(otherIpRequest())
    const asked = await messages.read()
    assert.is(asked.type, 'dialDataRequest')
    const empty = encodeLengthPrefixed(encodeMessage({ type: 'dialDataResponse', data: new Uint8Array(0) }))
    for (let i = 0; i <= AUTONAT_MAX_DIAL_DATA_MESSAGES; i++) await s.write(empty).catch(() => {})
  }, AutonatDialDataFloodError)
})

test('a dial-data chunk over 4096 bytes: AutonatDialDataFloodError', async () => {
  await expectRejected(async s => {
    const messages = new MessageStream(s)
    await s.write(otherIpRequest())
    await messages.read()
    await s.write(encodeLengthPrefixed(encodeMessage({ type: 'dialDataResponse', data: new Uint8Array(5000) })))
  }, AutonatDialDataFloodError)
})

test('over the per-peer rate: E_REQUEST_REJECTED and AutonatRateLimitError; other peers still served', async () => {
  // A fresh attacker, so the requests above do not count; PER_PEER requests pass, the next is rejected.
  const flooder = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'], services: { autonat: autonatV2({ checkPrivateAddresses: true, server: false, client: false }) } })
  try {
    const connection = await flooder.dial(target())
    const addr = flooder.getMultiaddrs()[0].decapsulateCode(421)
    const statuses = []
    for (let i = 0; i < PER_PEER + 2; i++) statuses.push((await flooder.services.autonat.check(connection, addr)).status)
    assert.equal(statuses, [...Array(PER_PEER).fill(ResponseStatus.OK), ResponseStatus.E_REQUEST_REJECTED, ResponseStatus.E_REQUEST_REJECTED])
    assert.ok(errors.some(e => e.error instanceof AutonatRateLimitError && e.peer === flooder.peerId.toString()))
    await honestCheckWorks()
  } finally { await flooder.stop() }
})

test('a server asking for more dial data than the client pays: AutonatDialDataLimitError, the client resets', async () => {
  const greedy = await createNode({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    services: {
      greedy: service(host => ({
        start () {
          host.handle(AUTONAT_DIAL_REQUEST_PROTOCOL, async stream => {
            const messages = new MessageStream(stream)
            await messages.read()
            await messages.write({ type: 'dialDataRequest', addrIdx: 0, numBytes: BigInt(AUTONAT_CLIENT_MAX_DIAL_DATA_BYTES + 1) })
            for await (const _ of stream) { /* the client must not send the data */ }
          })
        }
      }))
    }
  })
  try {
    const connection = await honest.dial(greedy.getMultiaddrs()[0])
    try {
      await honest.services.autonat.check(connection, honest.getMultiaddrs()[0].decapsulateCode(421))
      assert.unreachable('paid')
    } catch (e) {
      assert.instance(e, AutonatDialDataLimitError)
      assert.is(e.name, 'AutonatDialDataLimitError')
    }
  } finally { await greedy.stop() }
})

test('a dial-back with a nonce we never sent: AutonatNonceMismatchError, the stream aborted', async () => {
  const clientErrors = []
  const client = await createNode({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    services: { autonat: autonatV2({ server: false, client: false, onError: e => clientErrors.push(e) }) }
  })
  try {
    const stream = await attacker.dialProtocol(client.getMultiaddrs()[0], AUTONAT_DIAL_BACK_PROTOCOL)
    await stream.write(encodeLengthPrefixed(encodeDialBack(12345n)))
    const outcome = await drain(stream)
    assert.is.not(outcome.ended, 'timeout')
    assert.is(outcome.bytes, 0, 'no DialBackResponse for a stranger')
    const deadline = Date.now() + WAIT_MS
    while (clientErrors.length === 0 && Date.now() < deadline) await sleep(20)
    assert.instance(clientErrors[0], AutonatNonceMismatchError)
    assert.is(clientErrors[0].name, 'AutonatNonceMismatchError')
  } finally { await client.stop() }
})

test('after all that the server still serves, and dials back exactly what was asked (DialStatus OK)', async () => {
  const connection = await honest.dial(target())
  const check = await honest.services.autonat.check(connection, honest.getMultiaddrs()[0].decapsulateCode(421))
  assert.is(check.dialStatus, DialStatus.OK)
  assert.ok(check.dialedBack)
})

test.run()
