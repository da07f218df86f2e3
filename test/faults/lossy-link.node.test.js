// A real link that drops packets, delays them, or goes dark: two network
// namespaces joined by a veth pair (test/helpers/netns-link.js, created and removed
// here), a wasp2p peer process in each, the link impaired on both ends. With
// loss and delay (tc netem; on a kernel without netem, loss by iptables'
// statistic match and a slow queueing link by tc tbf instead of a fixed delay)
// a 1 MiB echo and small echoes still complete within named timeouts. With a
// blackhole (iptables DROP) nothing closes the TCP connection, so it
// is the yamux keep-alive (a Ping every KEEP_ALIVE_MS; one unanswered when
// the next is due aborts the session) that notices: within
// DEAD_PEER_NOTICE_MS = 2 × KEEP_ALIVE_MS (+ slack), on an idle connection and
// on one in mid-transfer alike. Every stream and byte is then released, and
// once the link is back the node takes a new connection and echoes.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fileURLToPath } from 'node:url'
import { startJsonLineChild } from '../helpers/json-line-child.js'
import { createLink, requireNetns, netemAvailable, A_IP } from '../helpers/netns-link.js'
import { waitFor } from '../helpers/wait.js'

const PEER = fileURLToPath(new URL('./fixtures/fault-peer.js', import.meta.url))
/** The keep-alive interval both peers run with here (the default KEEP_ALIVE_INTERVAL_MS is 30 s). */
const KEEP_ALIVE_MS = 1_000
/** A dead peer is noticed at most two intervals after the link died: the ping sent at one tick is found unanswered at the next. */
const DEAD_PEER_NOTICE_MS = 2 * KEEP_ALIVE_MS
/** Slack for a loaded 2-core machine (and a ping already in flight when the link died). */
const SLACK_MS = 2_000
/** The impaired link: 5% loss each way, and 40 ms delay each way where netem exists (else a 4 Mbit/s queueing link). */
const LOSSY = netemAvailable() ? { loss: 5, delayMs: 40 } : { loss: 5, rate: '4mbit' }
/** A 1 MiB echo over the lossy link: TCP retransmits; this bounds how long that may take. */
const LOSSY_TRANSFER_MS = 30_000
const LOSSY_TRANSFER_BYTES = 1024 * 1024
/** One small (1 KiB) echo on a fresh connection over the lossy link. */
const LOSSY_ECHO_MS = 10_000
const TIMEOUTS = { startTimeoutMs: 20_000, commandTimeoutMs: LOSSY_TRANSFER_MS + 5_000 }

const available = requireNetns('test/faults/lossy-link.node.test.js')

/** The two peers on a fresh link; `keepAliveInterval` undefined: the default KEEP_ALIVE_INTERVAL_MS. */
async function setUp (keepAliveInterval) {
  const link = createLink()
  const options = JSON.stringify({ listen: [`/ip4/${A_IP}/tcp/0`], keepAliveInterval })
  let server, client
  try {
    server = await startJsonLineChild(PEER, [options], { ...TIMEOUTS, wrap: link.wrap(link.a) })
    client = await startJsonLineChild(PEER, [JSON.stringify({ keepAliveInterval })], { ...TIMEOUTS, wrap: link.wrap(link.b) })
  } catch (err) {
    await server?.stop()
    link.remove()
    throw err
  }
  const target = server.info.addrs.find(a => a.includes(A_IP))
  return {
    link, server, client, target,
    async tearDown () {
      await client.stop().catch(() => {})
      await server.stop().catch(() => {})
      link.remove()
    }
  }
}

async function serverResources (server) {
  return await server.command({ cmd: 'resources' })
}

/** The server holds no connection, stream or byte for anyone. */
function assertEmpty ({ resources, connections }) {
  assert.is(connections, 0, 'no connection left')
  assert.equal(resources.connections, {}, 'no connection scope left')
  assert.equal(resources.peers, {}, 'no peer scope left')
  assert.is(resources.node.streams.inbound + resources.node.streams.outbound, 0, 'no stream charged')
  assert.is(resources.node.memory, 0, 'no buffered byte charged')
}

/** Blackholes the link under an open connection; resolves with the ms until each side dropped it. */
async function blackhole (t) {
  const dropped = side => waitFor(async () => (await side.command({ cmd: 'resources' })).connections === 0,
    'the connection to be dropped', DEAD_PEER_NOTICE_MS + SLACK_MS + 5_000)
  const start = performance.now()
  t.link.impair({ blackhole: true })
  const times = await Promise.all([t.server, t.client].map(async side => { await dropped(side); return performance.now() - start }))
  return { server: times[0], client: times[1] }
}

async function afterRestore (t) {
  t.link.restore()
  const echo = await t.client.command({ cmd: 'echo', target: t.target, bytes: 1024 })
  assert.is(echo.ok, true, `a new connection echoes once the link is back: ${JSON.stringify(echo)}`)
}

if (available) {
  test(`loss and delay (${JSON.stringify(LOSSY)}): a ${LOSSY_TRANSFER_BYTES / 1024} KiB echo completes within ${LOSSY_TRANSFER_MS} ms and small echoes within ${LOSSY_ECHO_MS} ms`, async () => {
    const t = await setUp(undefined)
    try {
      t.link.impair(LOSSY)
      const big = await t.client.command({ cmd: 'echo', target: t.target, bytes: LOSSY_TRANSFER_BYTES })
      assert.is(big.ok, true, JSON.stringify(big))
      const small = []
      for (let i = 0; i < 5; i++) {
        const r = await t.client.command({ cmd: 'echo', target: t.target, bytes: 1024 })
        assert.is(r.ok, true, JSON.stringify(r))
        small.push(Math.round(r.ms))
      }
      console.log(`  lossy link: 1 MiB echo in ${Math.round(big.ms)} ms; 1 KiB echoes (stream + round trip) ${small.join(', ')} ms`)
      assert.ok(big.ms <= LOSSY_TRANSFER_MS, `1 MiB echo took ${big.ms} ms`)
      assert.ok(small.every(ms => ms <= LOSSY_ECHO_MS), `small echoes ${small}`)
      await waitFor(async () => (await serverResources(t.server)).connections === 0, 'the echo connections closed', 10_000)
      assertEmpty(await serverResources(t.server))
    } finally {
      await t.tearDown()
    }
  })

  test(`blackhole under an idle connection: both sides notice within ${DEAD_PEER_NOTICE_MS} ms (+${SLACK_MS} ms slack) by keep-alive, free everything, and take new connections`, async () => {
    const t = await setUp(KEEP_ALIVE_MS)
    try {
      assert.is((await t.client.command({ cmd: 'connect', target: t.target })).ok, true)
      await waitFor(async () => (await serverResources(t.server)).connections === 1, 'the server has the connection', 5_000)
      // Idle for longer than one keep-alive interval first: pings go back and forth and keep it open.
      await new Promise(resolve => setTimeout(resolve, 2 * KEEP_ALIVE_MS))
      assert.is((await serverResources(t.server)).connections, 1, 'a healthy idle connection stays open')
      const times = await blackhole(t)
      console.log(`  idle blackhole: the server dropped the connection after ${Math.round(times.server)} ms, the client after ${Math.round(times.client)} ms`)
      assert.ok(times.server <= DEAD_PEER_NOTICE_MS + SLACK_MS, `server noticed after ${times.server} ms`)
      assert.ok(times.client <= DEAD_PEER_NOTICE_MS + SLACK_MS, `client noticed after ${times.client} ms`)
      assertEmpty(await serverResources(t.server))
      await afterRestore(t)
    } finally {
      await t.tearDown()
    }
  })

  test(`blackhole in mid-transfer (4 streams uploading): noticed within ${DEAD_PEER_NOTICE_MS} ms (+slack), every stream and buffered byte freed`, async () => {
    const t = await setUp(KEEP_ALIVE_MS)
    try {
      assert.is((await t.client.command({ cmd: 'upload', target: t.target, streams: 4 })).ok, true)
      await waitFor(async () => (await t.server.command({ cmd: 'sunk' })).sunk >= 1024 * 1024, 'the server received 1 MiB', 20_000)
      const during = await serverResources(t.server)
      assert.ok(Object.values(during.resources.peers)[0].streams.inbound >= 4, 'the upload streams are charged')
      const times = await blackhole(t)
      console.log(`  mid-transfer blackhole: the server dropped the connection after ${Math.round(times.server)} ms, the client after ${Math.round(times.client)} ms`)
      assert.ok(times.server <= DEAD_PEER_NOTICE_MS + SLACK_MS, `server noticed after ${times.server} ms`)
      assert.ok(times.client <= DEAD_PEER_NOTICE_MS + SLACK_MS, `client noticed after ${times.client} ms`)
      assertEmpty(await serverResources(t.server))
      await afterRestore(t)
    } finally {
      await t.tearDown()
    }
  })
}

test.run()
