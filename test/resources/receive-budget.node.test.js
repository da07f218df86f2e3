// The yamux session receive budget against a peer that opens many streams, fills
// each one's initial window and never reads (the attacker runs in a child process
// over TCP loopback, so only the target's memory is in this process): what the
// target buffers stays within maxMemoryPerConnection by node.resources(), and the
// process's ArrayBuffer memory grows by about that much, not by what was offered.
// A control run with a budget above the offered volume shows the measurement
// would catch the difference. An honest peer's echo works throughout.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import v8 from 'node:v8'
import vm from 'node:vm'
import { fileURLToPath } from 'node:url'
import { createNode, echoHandler, ECHO_PROTOCOL } from '../../dist/index.js'
import { tcp } from '../../dist/transport/index.js'
import { startJsonLineChild } from '../helpers/json-line-child.js'
import { readAll, withTimeout, utf8, text } from '../helpers/bytes.js'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc')

const FLOOD = fileURLToPath(new URL('./fixtures/flood-peer.js', import.meta.url))
const SINK = '/test/sink/1.0.0'
const STREAMS = 400
const BYTES = 250 * 1024 // under the 256 KiB initial window
const OFFERED = STREAMS * BYTES // ~98 MiB
const BUDGET = 4 * 1024 * 1024
const MiB = 1024 * 1024

function arrayBuffers () {
  gc(); gc()
  return process.memoryUsage().arrayBuffers
}

async function waitStable (read, ms = 20_000) {
  // Until the value stops changing for 500 ms (bounded).
  const deadline = Date.now() + ms
  let last = -1
  while (Date.now() < deadline) {
    const v = read()
    if (v === last) return v
    last = v
    await new Promise(resolve => setTimeout(resolve, 500))
  }
  return last
}

async function flood (limits) {
  const target = await createNode({
    transports: [tcp()], listen: ['/ip4/127.0.0.1/tcp/0'], services: false, resources: { ...limits, maxStreamsPerPeer: 4096 }
  })
  const parked = []
  target.handle(SINK, stream => { parked.push(stream) }, { maxInboundStreams: 1024 })
  target.handle(ECHO_PROTOCOL, echoHandler)
  const attacker = await startJsonLineChild(FLOOD, [], { startTimeoutMs: 20_000, commandTimeoutMs: 60_000 })
  const honest = await createNode({ transports: [tcp()], services: false })
  let peak = 0
  const sample = setInterval(() => { peak = Math.max(peak, target.resources().node.memory) }, 5)
  try {
    const before = arrayBuffers()
    const answer = await attacker.command({ cmd: 'flood', target: target.getMultiaddrs()[0].toString(), protocol: SINK, streams: STREAMS, bytes: BYTES })
    assert.ok(answer.ok, JSON.stringify(answer))
    const buffered = await waitStable(() => target.resources().node.memory)
    const grown = arrayBuffers() - before
    // The honest peer is served meanwhile.
    const stream = await honest.dialProtocol(target.getMultiaddrs()[0], ECHO_PROTOCOL)
    await stream.write(utf8('still here'))
    await stream.closeWrite()
    const echoed = text(await withTimeout(readAll(stream), 10_000, 'echo'))
    return { buffered, peak, grown, echoed, parked: parked.length, connections: target.getConnections().length }
  } finally {
    clearInterval(sample)
    await attacker.stop()
    await honest.stop()
    await target.stop()
  }
}

test(`${STREAMS} streams × ${BYTES / 1024} KiB unread (${(OFFERED / MiB).toFixed(0)} MiB offered) against a ${BUDGET / MiB} MiB budget`, async () => {
  const r = await flood({ maxMemoryPerConnection: BUDGET })
  console.log(`  budget ${BUDGET / MiB} MiB: buffered ${(r.buffered / MiB).toFixed(2)} MiB (peak ${(r.peak / MiB).toFixed(2)}), ArrayBuffers +${(r.grown / MiB).toFixed(1)} MiB`)
  assert.ok(r.peak <= BUDGET, `peak ${r.peak}`)
  assert.ok(r.buffered > BUDGET - BYTES, `the budget was used (${r.buffered})`)
  // What is held is what is charged, within a factor of 2 (small views are copied) plus the process's own noise.
  assert.ok(r.grown < 2 * BUDGET + 16 * MiB, `ArrayBuffer memory grew by ${(r.grown / MiB).toFixed(1)} MiB`)
  assert.is(r.echoed, 'still here')
  assert.is(r.connections, 2, 'the attacker\'s session was not torn down, only its excess streams')
})

test('control: with a budget above what is offered, the same flood is buffered whole (the measurement sees it)', async () => {
  const r = await flood({ maxMemoryPerConnection: 256 * MiB, maxMemoryPerPeer: 256 * MiB })
  console.log(`  budget 256 MiB: buffered ${(r.buffered / MiB).toFixed(2)} MiB, ArrayBuffers +${(r.grown / MiB).toFixed(1)} MiB`)
  assert.is(r.buffered, OFFERED)
  assert.ok(r.grown > OFFERED * 0.8, `ArrayBuffer memory grew by ${(r.grown / MiB).toFixed(1)} MiB`)
  assert.is(r.echoed, 'still here')
})

test.run()
