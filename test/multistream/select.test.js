import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { select, handle, listProtocols, MultistreamError, UnsupportedProtocolError, MAX_NEGOTIATION_ATTEMPTS, MAX_MESSAGE_LENGTH } from '../../dist/multistream/index.js'
import { encodeMessages } from '../../dist/multistream/_messages.js'
import { encodeVarint } from '../../dist/stream/byte-reader.js'
import { rawPair } from '../helpers/pair.js'
import { concat, readAll, withTimeout, utf8, text } from '../helpers/bytes.js'

const T = 5000
const hex = b => Array.from(b, x => x.toString(16).padStart(2, '0')).join('')

test('wire format matches the spec examples', () => {
  assert.is(hex(encodeMessages('na')), '036e610a')
  assert.is(hex(encodeMessages('ls')), '036c730a')
  const header = encodeMessages('/multistream/1.0.0')
  assert.is(header[0], 19, 'length counts the newline')
  assert.is(text(header.subarray(1)), '/multistream/1.0.0\n')
})

test('select falls back past na to the second protocol; data flows both ways', async () => {
  const { dialer, listener } = await rawPair()
  const [dialed, handled] = await withTimeout(Promise.all([
    select(dialer, ['/a/1.0.0', '/b/1.0.0']),
    handle(listener, ['/b/1.0.0', '/c/1.0.0'])
  ]), T, 'negotiation')
  assert.is(dialed.protocol, '/b/1.0.0')
  assert.is(handled.protocol, '/b/1.0.0')
  await dialed.stream.write(utf8('ping'))
  await dialed.stream.closeWrite()
  assert.is(text(await withTimeout(readAll(handled.stream), T, 'read')), 'ping')
  await handled.stream.write(utf8('pong'))
  await handled.stream.closeWrite()
  assert.is(text(await withTimeout(readAll(dialed.stream), T, 'read')), 'pong')
})

test('lazy select: header, proposal and first data leave in one write, data reaches the handler', async () => {
  const { dialer, listener, written } = await rawPair()
  const { protocol, stream } = await select(dialer, '/echo/1.0.0')
  assert.is(protocol, '/echo/1.0.0')
  assert.is(written.length, 0, 'nothing is sent before first use')
  await stream.write(utf8('hello'))
  assert.is(written.length, 1)
  assert.is(text(written[0]), text(concat([encodeMessages('/multistream/1.0.0', '/echo/1.0.0'), utf8('hello')])))
  const handled = await withTimeout(handle(listener, ['/echo/1.0.0']), T, 'handle')
  assert.is(handled.protocol, '/echo/1.0.0')
  await stream.closeWrite()
  // The data that came in the proposal's packet is not lost (ByteReader.rest()).
  assert.is(text(await withTimeout(readAll(handled.stream), T, 'read')), 'hello')
  await handled.stream.write(utf8('back'))
  await handled.stream.closeWrite()
  assert.is(text(await withTimeout(readAll(stream), T, 'read')), 'back')
})

test('lazy select, earlyFin: closeWrite goes at once, before the answer; the listener reads data, then the end', async () => {
  const { dialer, listener, written } = await rawPair()
  const { stream } = await select(dialer, '/echo/1.0.0', { earlyFin: true })
  await stream.write(utf8('hello'))
  // Nobody answers yet: without earlyFin this would wait for the listener's confirmation.
  await withTimeout(stream.closeWrite(), T, 'closeWrite before the answer')
  assert.is(written.length, 1, 'proposal and data in one write, then the FIN')
  const handled = await withTimeout(handle(listener, ['/echo/1.0.0']), T, 'handle')
  assert.is(text(await withTimeout(readAll(handled.stream), T, 'read')), 'hello')
  await handled.stream.write(utf8('back'))
  await handled.stream.closeWrite()
  assert.is(text(await withTimeout(readAll(stream), T, 'read')), 'back')
})

test('lazy select, no earlyFin (js-libp2p listeners): closeWrite waits for the answer', async () => {
  const { dialer, listener } = await rawPair()
  const { stream } = await select(dialer, '/echo/1.0.0')
  await stream.write(utf8('hello'))
  let closed = false
  const closing = stream.closeWrite().then(() => { closed = true })
  await new Promise(resolve => setTimeout(resolve, 50))
  assert.not.ok(closed, 'no FIN before the confirmation')
  const handled = await withTimeout(handle(listener, ['/echo/1.0.0']), T, 'handle')
  await withTimeout(closing, T, 'closeWrite after the answer')
  assert.is(text(await withTimeout(readAll(handled.stream), T, 'read')), 'hello')
})

test('lazy select: a read-first protocol sends the proposal on read', async () => {
  const { dialer, listener } = await rawPair()
  const { stream } = await select(dialer, '/id/1.0.0')
  const reading = readAll(stream)
  const handled = await withTimeout(handle(listener, ['/id/1.0.0']), T, 'handle')
  await handled.stream.write(utf8('identity'))
  await handled.stream.closeWrite()
  assert.is(text(await withTimeout(reading, T, 'read')), 'identity')
})

test('lazy select: a stream iterated twice confirms once and loses nothing', async () => {
  const { dialer, listener } = await rawPair()
  const { stream } = await select(dialer, '/two/1.0.0')
  await stream.write(utf8('q'))
  const handled = await withTimeout(handle(listener, ['/two/1.0.0']), T, 'handle')
  await handled.stream.write(utf8('first'))
  const first = await withTimeout(stream[Symbol.asyncIterator]().next(), T, 'first read')
  assert.is(text(first.value), 'first')
  await handled.stream.write(utf8('second'))
  await handled.stream.closeWrite()
  assert.is(text(await withTimeout(readAll(stream), T, 'second read')), 'second')
})

test('lazy select: na surfaces as UnsupportedProtocolError on the first read', async () => {
  const { dialer, listener } = await rawPair()
  const { stream } = await select(dialer, '/nope/1.0.0')
  const handling = handle(listener, ['/echo/1.0.0']).catch(err => err)
  await stream.write(utf8('data'))
  try {
    await withTimeout(readAll(stream), T, 'read')
    assert.unreachable('read must fail')
  } catch (err) {
    assert.instance(err, UnsupportedProtocolError)
  }
  const listenerErr = await withTimeout(handling, T, 'handler end')
  assert.instance(listenerErr, Error, 'listener gives up once the dialer aborts')
})

test('select with no common protocol fails with UnsupportedProtocolError', async () => {
  const { dialer, listener } = await rawPair()
  const handling = handle(listener, ['/x/1.0.0']).catch(err => err)
  try {
    await withTimeout(select(dialer, ['/a/1.0.0', '/b/1.0.0']), T, 'select')
    assert.unreachable('select must fail')
  } catch (err) {
    assert.instance(err, UnsupportedProtocolError)
  }
  assert.instance(await withTimeout(handling, T, 'handle'), Error)
})

test('ls lists the handler protocols', async () => {
  const { dialer, listener } = await rawPair()
  const protocols = ['/echo/1.0.0', '/ipfs/id/1.0.0', '/ipfs/ping/1.0.0']
  const handling = handle(listener, protocols).catch(err => err)
  const listed = await withTimeout(listProtocols(dialer), T, 'ls')
  assert.equal(listed, protocols)
  dialer.abort(new Error('done'))
  await handling
})

test('ls followed by a proposal on the same stream', async () => {
  const { dialer, listener } = await rawPair()
  const handling = handle(listener, ['/a/1.0.0'])
  await dialer.write(encodeMessages('/multistream/1.0.0', 'ls', '/a/1.0.0'))
  const { protocol } = await withTimeout(handling, T, 'handle')
  assert.is(protocol, '/a/1.0.0')
  listener.abort(new Error('done'))
})

async function expectHandleFailure (bytes, ErrorClass) {
  const { dialer, listener } = await rawPair()
  const handling = handle(listener, ['/a/1.0.0'])
  await dialer.write(bytes)
  try {
    await withTimeout(handling, T, 'handle')
    assert.unreachable('handle must fail')
  } catch (err) {
    assert.instance(err, ErrorClass, `${err.name}: ${err.message}`)
  }
  // The listener aborted the connection: the dialer sees a reset, not a hang.
  try {
    await withTimeout(readAll(dialer), T, 'dialer read')
    assert.unreachable('dialer read must fail')
  } catch (err) {
    assert.is(err.name, 'ConnectionResetError')
  }
}

test('an oversized message is refused without reading it', async () => {
  await expectHandleFailure(concat([encodeMessages('/multistream/1.0.0'), encodeVarint(MAX_MESSAGE_LENGTH + 1)]), MultistreamError)
})

test('a message without its newline is refused', async () => {
  await expectHandleFailure(concat([encodeMessages('/multistream/1.0.0'), encodeVarint(3), utf8('/ab')]), MultistreamError)
})

test('a wrong header is refused', async () => {
  await expectHandleFailure(encodeMessages('/multistream/2.0.0', '/a/1.0.0'), MultistreamError)
})

test('garbage is refused', async () => {
  await expectHandleFailure(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), MultistreamError)
  await expectHandleFailure(concat([encodeVarint(5), Uint8Array.from([0xc3, 0x28, 0xa0, 0xa1, 0x0a])]), MultistreamError)
})

test('a dialer that keeps proposing unknown protocols is cut off after the attempt limit', async () => {
  const { dialer, listener } = await rawPair()
  const answers = []
  const write = listener.write.bind(listener)
  listener.write = async chunk => { answers.push(chunk.slice()); await write(chunk) }
  const handling = handle(listener, ['/a/1.0.0'])
  const proposals = Array.from({ length: MAX_NEGOTIATION_ATTEMPTS + 4 }, (_, i) => `/unknown/${i}`)
  await dialer.write(encodeMessages('/multistream/1.0.0', ...proposals))
  try {
    await withTimeout(handling, T, 'handle')
    assert.unreachable('handle must fail')
  } catch (err) {
    assert.instance(err, UnsupportedProtocolError)
  }
  // Exactly MAX_NEGOTIATION_ATTEMPTS `na` answers came back before the reset.
  const expected = concat([encodeMessages('/multistream/1.0.0'), ...proposals.slice(0, MAX_NEGOTIATION_ATTEMPTS).map(() => encodeMessages('na'))])
  assert.is(hex(concat(answers)), hex(expected))
})

test('the remote ending mid-negotiation is a MultistreamError', async () => {
  const { dialer, listener } = await rawPair()
  const selecting = select(dialer, ['/a/1.0.0', '/b/1.0.0'])
  await listener.closeWrite()
  try {
    await withTimeout(selecting, T, 'select')
    assert.unreachable('select must fail')
  } catch (err) {
    assert.instance(err, MultistreamError)
  }
})

test('an abort signal stops a negotiation that would otherwise wait forever', async () => {
  const { dialer, listener } = await rawPair()
  const controller = new AbortController()
  const handling = handle(listener, ['/a/1.0.0'], { signal: controller.signal })
  controller.abort(new Error('timeout'))
  try {
    await withTimeout(handling, T, 'handle')
    assert.unreachable('handle must fail')
  } catch (err) {
    assert.is(err.message, 'timeout')
  }
  dialer.abort(new Error('done'))
})

test.run()
