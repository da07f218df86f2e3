// The two waits that hung a WebRTC dial to js-libp2p until the node's dial
// timeout: closing the dialer's `init` channel (webrtc.md step 8) after the
// remote already closed it, and the signaling deadline, which must reject
// even when what it guards waits on a channel event that pc.close() never
// fires (W3C webrtc-pc closes channels silently).
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { webrtc } from '../../dist/index.js'
import { FakeChannel } from './fake-channel.js'

const { closeInitChannel, withSignalingDeadline, SignalingError } = webrtc
const test = suite('webrtc signaling: init close and deadline')

/** Settles `promise` within `ms`, or reports that it did not. */
async function within (promise, ms) {
  let timer
  const late = new Promise(resolve => { timer = setTimeout(() => resolve('pending'), ms) })
  try {
    return await Promise.race([promise.then(() => 'resolved', err => err), late])
  } finally { clearTimeout(timer) }
}

test('init already closed by the remote: returns at once', async () => {
  const init = new FakeChannel()
  init.close()
  await new Promise(resolve => setTimeout(resolve, 5)) // its close event has fired
  assert.is(init.readyState, 'closed')
  assert.is(await within(closeInitChannel(init), 500), 'resolved')
})

test('init open: closes it and waits for its close event', async () => {
  const init = new FakeChannel()
  let closedEvent = false
  init.addEventListener('close', () => { closedEvent = true })
  assert.is(await within(closeInitChannel(init), 500), 'resolved')
  assert.is(init.readyState, 'closed')
  assert.ok(closedEvent)
})

test('init closing (the remote began): waits for the close, calls nothing', async () => {
  const init = new FakeChannel()
  init.readyState = 'closing'
  let calls = 0
  init.close = () => { calls++ }
  const done = closeInitChannel(init)
  assert.is(await within(done, 30), 'pending')
  init.readyState = 'closed'
  init.dispatchEvent(new Event('close'))
  assert.is(await within(done, 500), 'resolved')
  assert.is(calls, 0)
})

test('init connecting: waits for open, then closes', async () => {
  const init = new FakeChannel()
  init.readyState = 'connecting'
  const done = closeInitChannel(init)
  assert.is(await within(done, 30), 'pending')
  init.readyState = 'open'
  init.dispatchEvent(new Event('open'))
  assert.is(await within(done, 500), 'resolved')
  assert.is(init.readyState, 'closed')
})

test('init connecting, closed by the remote before it opened: returns', async () => {
  const init = new FakeChannel()
  init.readyState = 'connecting'
  const done = closeInitChannel(init)
  init.readyState = 'closed'
  init.dispatchEvent(new Event('close'))
  assert.is(await within(done, 500), 'resolved')
})

function fakePeerConnection () { return { closed: false, close () { this.closed = true } } }
function fakeStream () { return { aborted: undefined, abort (err) { this.aborted = err } } }

test('deadline: rejects with SignalingError though the work never settles, and closes both', async () => {
  const pc = fakePeerConnection()
  const stream = fakeStream()
  const started = Date.now()
  const outcome = await within(withSignalingDeadline(pc, stream, undefined, 50, () => new Promise(() => {})), 2000)
  assert.instance(outcome, SignalingError)
  assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`)
  assert.ok(pc.closed)
  assert.instance(stream.aborted, SignalingError)
})

test('deadline: an abort signal rejects with its reason at once', async () => {
  const pc = fakePeerConnection()
  const stream = fakeStream()
  const controller = new AbortController()
  const running = withSignalingDeadline(pc, stream, controller.signal, 10_000, () => new Promise(() => {}))
  const reason = new Error('dial aborted')
  controller.abort(reason)
  assert.is(await within(running, 500), reason)
  assert.ok(pc.closed)
})

test('deadline: work that finishes in time gives its value and closes nothing', async () => {
  const pc = fakePeerConnection()
  const stream = fakeStream()
  assert.is(await withSignalingDeadline(pc, stream, undefined, 1000, async () => 42), 42)
  assert.is(pc.closed, false)
  assert.is(stream.aborted, undefined)
})

test.run()
