// The basic browser bundle of issue 15, as bench/bundle.js measures it (bench/bundle/wasp2p-basic.js,
// esbuild --bundle --minify --format=esm --platform=browser, no plugins): what it leaves out, its
// size against js-libp2p's equivalent bundled the same way in this run, and that exactly those
// bytes, loaded by a page's main thread in headless Chromium, run a node that dials a Node
// wasp2p node over WebSocket (Noise, yamux), pings it, and runs its kernels on wasm-simd.
//
// Without a Chromium this says so loudly and, under CI=true, fails.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BASIC_ENTRY, JS_LIBP2P_ENTRY, TARGET_RATIO, bundle, leftOut } from '../../bench/bundle.js'

/**
 * A regression guard: issue 15's target (TARGET_RATIO, 0.5×) is measured and reported by
 * `npm run bench -- bundle` (0.48× on 2026-12-02); this test fails as soon as the basic bundle
 * grows past the target itself.
 */
const REGRESSION_RATIO = 0.5
import { launchChromium, requireChromium, serveDirectory } from '../helpers/browser.js'
import { createNode } from '../../dist/index.js'

requireChromium('test/build/browser-bundle.node.test.js')

/** Load, init, dial, handshake and ping on a busy 2-core machine. */
const PAGE_TIMEOUT_MS = 45_000
const PAGE = '<!doctype html><meta charset="utf-8"><title>wasp2p basic bundle</title><script type="module" src="/basic.js"></script>'

const test = suite('basic browser bundle')
let basic
let dir
let server
let browser
let page
let node
const pageErrors = []

test.before(async () => {
  basic = await bundle(BASIC_ENTRY)
  dir = await mkdtemp(join(tmpdir(), 'wasp2p-bundle-'))
  await writeFile(join(dir, 'basic.js'), basic.code)
  ;[server, browser, node] = await Promise.all([
    serveDirectory(dir, PAGE),
    launchChromium(),
    createNode({ listen: ['/ip4/127.0.0.1/tcp/0/ws'] })
  ])
  page = await browser.newPage()
  page.on('pageerror', err => { pageErrors.push(err.message) })
  await page.goto(`${server.base}/`)
})

test.after(async () => {
  await page?.close()
  await browser?.close()
  server?.close()
  await node?.stop()
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

test('the basic bundle carries no DHT, perf service, other key types, pure-JS curves, @noble/ciphers or scalar kernel builds', () => {
  for (const { path, present } of leftOut(basic.metafile)) assert.not.ok(present, `${path} is in the basic bundle`)
})

test(`the basic bundle stays under ${REGRESSION_RATIO}× js-libp2p's equivalent, gzipped, bundled the same way now (target ${TARGET_RATIO}×: the bench)`, async () => {
  const js = await bundle(JS_LIBP2P_ENTRY)
  const ratio = basic.gzipped / js.gzipped
  console.log(`  [bundle] wasp2p basic ${basic.gzipped} B gzipped, js-libp2p ${js.gzipped} B: ${ratio.toFixed(3)}×`)
  assert.ok(ratio <= REGRESSION_RATIO, `ratio ${ratio.toFixed(3)}`)
})

test('in Chromium, the page\'s node dials the Node node over WebSocket, pings it, and runs wasm-simd', async () => {
  await page.waitForFunction(() => globalThis.wasp2p !== undefined, null, { timeout: PAGE_TIMEOUT_MS })
  const addr = node.getMultiaddrs().map(String).find(a => a.includes('/ws/'))
  assert.ok(addr, 'the Node node listens on /ws')
  const { rtt, peerId, backend } = await page.evaluate(async (addr) => ({
    rtt: await globalThis.wasp2p.ping(addr),
    peerId: globalThis.wasp2p.peerId,
    backend: globalThis.wasp2p.backend()
  }), addr)
  assert.ok(typeof rtt === 'number' && rtt > 0 && rtt < PAGE_TIMEOUT_MS, `rtt ${rtt}`)
  assert.is(backend, 'wasm-simd')
  // The Node side saw the same peer: the handshake authenticated the page's key.
  assert.ok(node.getConnections().some(c => c.remotePeer.toString() === peerId), `no connection from ${peerId}`)
  assert.equal(pageErrors, [])
})

test.run()
