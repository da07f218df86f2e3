// A peer process killed with SIGKILL in the middle of a transfer (8 streams
// uploading to us over TCP loopback): our node notices within
// PEER_KILLED_NOTICE_MS (the kernel closes a dead process's sockets, so the
// connection ends at once, no keep-alive needed), every stream's handler sees
// its stream end, every resource scope of that peer is released, no timer is
// left behind, and a new peer process then connects and echoes.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fileURLToPath } from 'node:url'
import { createNode, echoHandler, ECHO_PROTOCOL, tcp } from '../../dist/index.js'
import { startJsonLineChild } from '../helpers/json-line-child.js'
import { waitFor } from '../helpers/wait.js'

const PEER = fileURLToPath(new URL('./fixtures/fault-peer.js', import.meta.url))
const SINK = '/test/sink/1.0.0'
const STREAMS = 8
/** Bytes each stream must have delivered before the kill: the transfer is well under way. */
const MID_TRANSFER_BYTES = 512 * 1024
/**
 * How soon our side must see the killed peer's connection close: 2 s. On loopback the kernel
 * ends a killed process's sockets at once (FIN or RST), so this is event-loop slack on a
 * loaded machine, far below any keep-alive timeout.
 */
const PEER_KILLED_NOTICE_MS = 2_000
/** How long the release of every scope and timer may take after the close. */
const RELEASE_MS = 2_000
const TIMEOUTS = { startTimeoutMs: 20_000, commandTimeoutMs: 20_000 }

const timers = () => process.getActiveResourcesInfo().filter(r => r === 'Timeout').length

test(`a peer SIGKILLed mid-transfer: noticed within ${PEER_KILLED_NOTICE_MS} ms, every stream and scope freed, no timer left, and the node takes the next peer`, async () => {
  const node = await createNode({ transports: [tcp()], listen: ['/ip4/127.0.0.1/tcp/0'], services: false })
  node.handle(ECHO_PROTOCOL, echoHandler)
  const received = new Map()
  const ended = []
  node.handle(SINK, async stream => {
    received.set(stream, 0)
    try {
      for await (const chunk of stream) received.set(stream, received.get(stream) + chunk.length)
      ended.push('end')
    } catch (err) {
      ended.push(err.name)
    }
  }, { maxInboundStreams: 64 })
  const target = node.getMultiaddrs()[0].toString()
  const baselineTimers = timers()
  const peer = await startJsonLineChild(PEER, [], TIMEOUTS)
  let next
  try {
    assert.is((await peer.command({ cmd: 'upload', target, streams: STREAMS })).ok, true)
    await waitFor(() => received.size === STREAMS && [...received.values()].every(n => n >= MID_TRANSFER_BYTES), 'every stream in mid-transfer', 20_000)
    const [connection] = node.getConnections()
    assert.is(connection.remotePeer.toString(), peer.info.peerId)
    const usage = node.resources()
    assert.is(usage.peers[peer.info.peerId].streams.inbound, STREAMS, 'the peer\'s streams are charged before the kill')
    const closed = new Promise(resolve => connection.addCloseListener(() => resolve(performance.now())))

    const killedAt = performance.now()
    await peer.kill('SIGKILL')
    let guard
    const noticedMs = (await Promise.race([closed, new Promise(resolve => { guard = setTimeout(() => resolve(Infinity), PEER_KILLED_NOTICE_MS + 10_000) })])) - killedAt
    clearTimeout(guard)
    const bytes = [...received.values()].reduce((a, b) => a + b, 0)
    console.log(`  killed after ${(bytes / 1024 / 1024).toFixed(1)} MiB on ${STREAMS} streams; connection closed ${Math.round(noticedMs)} ms after SIGKILL`)
    assert.ok(noticedMs <= PEER_KILLED_NOTICE_MS, `noticed after ${noticedMs} ms`)

    await waitFor(() => ended.length === STREAMS, 'every stream handler saw its stream end', RELEASE_MS)
    assert.ok(ended.every(e => e !== 'end'), `a killed peer's streams end in an error, not a clean end: ${ended}`)
    await waitFor(() => node.resources().peers[peer.info.peerId] === undefined, 'the peer scope released', RELEASE_MS)
    const after = node.resources()
    assert.equal(after.connections, {}, 'no connection scope left')
    assert.is(after.node.streams.inbound + after.node.streams.outbound, 0, 'no stream charged')
    assert.is(after.node.memory, 0, 'no buffered byte charged')
    assert.equal(after.protocols, {}, 'no protocol scope left')
    assert.is(node.getConnections().length, 0)
    await waitFor(() => timers() <= baselineTimers, `timers back to the baseline ${baselineTimers} (now ${timers()})`, RELEASE_MS)

    next = await startJsonLineChild(PEER, [], TIMEOUTS)
    const echo = await next.command({ cmd: 'echo', target, bytes: 64 * 1024 })
    assert.is(echo.ok, true, JSON.stringify(echo))
  } finally {
    await peer.stop().catch(() => {})
    await next?.stop()
    await node.stop()
  }
})

test.run()
