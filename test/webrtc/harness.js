// The WebRTC test setup: a wasp2p relay node in this process (circuit relay
// v2 server over WebSocket on 127.0.0.1), the page fixtures bundled with
// esbuild and served from 127.0.0.1, and headless Chromium.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import * as esbuild from 'esbuild'
import { createNode, circuitRelayServer } from '../../dist/index.js'
import { launchChromium, serveDirectory } from '../helpers/browser.js'
import { ROOT } from '../runner-common.js'

const OUT = join(ROOT, 'build', 'out', 'webrtc-tests')

const PAGE = '<!doctype html><meta charset="utf-8"><title>webrtc test</title><script type="module" src="/page.js"></script>'

/** Bundles `fixture` (a file in ./fixtures) as /page.js under its own directory; returns the directory. */
export async function bundlePage (fixture) {
  const dir = join(OUT, fixture.replace(/\.js$/, ''))
  await mkdir(dir, { recursive: true })
  await esbuild.build({
    entryPoints: [join(ROOT, 'test', 'webrtc', 'fixtures', fixture)],
    outfile: join(dir, 'page.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
    // js-libp2p's packages map Node built-ins away through their `browser` fields.
    mainFields: ['browser', 'module', 'main'],
    conditions: ['browser']
  })
  return dir
}

/** The relay: a wasp2p node with the circuit relay server, listening on WebSocket. */
export async function startRelay (relayOptions = {}) {
  return await createNode({
    listen: ['/ip4/127.0.0.1/tcp/0/ws'],
    services: { relay: circuitRelayServer(relayOptions) },
    connectionManager: { allow: ['/ip4/127.0.0.0/ipcidr/8'] }
  })
}

/** A page of `dir` whose `globalThis.peer` is ready; page errors are collected in `errors`. */
export async function openPeerPage (browser, base, errors) {
  const page = await browser.newPage()
  page.on('pageerror', err => { errors.push(err.message) })
  page.on('console', msg => { if (process.env.WEBRTC_DEBUG !== undefined) console.log(`[page] ${msg.text()}`) })
  await page.goto(`${base}/`)
  await page.waitForFunction(() => globalThis.peer !== undefined, null, { timeout: 30_000 })
  return page
}

export async function serve (dir) { return await serveDirectory(dir, PAGE) }
export { launchChromium }

/** `page`'s open connections to `peer`, polled (bounded) until `want(connections)` holds; the last list either way. */
export async function connectionsWhen (page, peer, want, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  let seen = await page.evaluate(p => globalThis.peer.connections(p), peer)
  while (!want(seen) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 100))
    seen = await page.evaluate(p => globalThis.peer.connections(p), peer)
  }
  return seen
}
