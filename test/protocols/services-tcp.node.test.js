// The protocol services between two wasp2p nodes over loopback TCP (Noise, yamux):
// perf byte counts exact through the whole stack, ping, and identify in both directions.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode } from '../../dist/index.js'
import { perfService, PERF_PROTOCOL } from '../../dist/protocols/index.js'
import { perf } from '../../dist/protocols/perf/index.js'

let a, b, sa, sb

test.before(async () => {
  a = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  b = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'], services: { perf: perfService({ maxDownloadBytes: 8 * 1024 * 1024 }) } })
  sa = a.services
  sb = b.services
})

test.after(async () => {
  await a?.stop()
  await b?.stop()
})

test('perf: exact byte counts both ways through Noise and yamux', async () => {
  const connection = await a.dial(b.getMultiaddrs()[0])
  for (const [upload, download] of [[0, 0], [1, 3 * 1024 * 1024 + 1], [2 * 1024 * 1024 + 7, 5]]) {
    const result = await perf(await connection.newStream(PERF_PROTOCOL), { upload, download })
    assert.is(result.uploadBytes, upload)
    assert.is(result.downloadBytes, download)
  }
})

test('perf: a request above the server\'s limit fails on the client', async () => {
  const connection = await a.dial(b.getMultiaddrs()[0])
  const err = await perf(await connection.newStream(PERF_PROTOCOL), { download: 8 * 1024 * 1024 + 1 }).then(() => undefined, e => e)
  assert.instance(err, Error)
})

test('perf is not served where it was not enabled', async () => {
  const connection = await b.dial(a.getMultiaddrs()[0])
  const err = await (async () => perf(await connection.newStream(PERF_PROTOCOL), { download: 1 }))().then(() => undefined, e => e)
  assert.instance(err, Error)
})

test('ping and identify both ways', async () => {
  const ab = await a.dial(b.getMultiaddrs()[0])
  assert.ok(await sa.ping.ping(ab) >= 0)
  const fromA = await sa.identify.identify(ab)
  assert.is(fromA.peerId.toString(), b.peerId.toString())
  assert.ok(fromA.protocols.includes(PERF_PROTOCOL))
  assert.ok(fromA.peerRecord !== undefined)
  const ba = b.getConnections(a.peerId)[0]
  assert.ok(ba !== undefined, 'b sees the connection a opened')
  const fromB = await sb.identify.identify(ba)
  assert.is(fromB.peerId.toString(), a.peerId.toString())
  assert.not.ok(fromB.protocols.includes(PERF_PROTOCOL))
  assert.ok((await b.peerStore.get(a.peerId)).addresses.every(x => x.certified))
})

test.run()
