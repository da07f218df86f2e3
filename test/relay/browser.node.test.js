// A browser reaches a Node peer through a relay: headless Chromium runs a
// wasp2p node (bundled for browsers: WebSockets only, no TCP), dials
// `<relay ws addr>/p2p/R/p2p-circuit/p2p/A` where A is a Node peer that
// listens only through the relay, and echoes 256 KiB with it end to end
// (Noise + yamux over the circuit). Relays tried: wasp2p's and js-libp2p's.
// Without a Chromium this says so loudly and, under CI=true, fails.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { echoHandler, ECHO_PROTOCOL } from '../../dist/index.js'
import { circuitRelayServer, circuitRelayTransport } from '../../dist/relay/index.js'
import { launchChromium, requireChromium, serveDirectory } from '../helpers/browser.js'
import { startRelayNode } from './helpers/relay-node.js'
import { startJsRelayPeer } from './fixtures/js-relay-peer-process.js'

requireChromium('test/relay/browser.node.test.js')

const PAGE_TIMEOUT_MS = 45_000
const BYTES = 256 * 1024
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))

/** The page's script: dial the circuit address in location.hash, echo, report on window.result. */
const PAGE_SCRIPT = `
import { createNode, circuitRelayTransport, ECHO_PROTOCOL } from './index.js'
const target = decodeURIComponent(location.hash.slice(1))
try {
  const node = await createNode({ services: { circuit: circuitRelayTransport() } })
  const connection = await node.dial(target)
  const stream = await connection.newStream(ECHO_PROTOCOL)
  const data = new Uint8Array(${BYTES}).map((_, i) => (i * 31 + 7) & 0xff)
  const chunks = []
  const reading = (async () => { for await (const c of stream) chunks.push(c.slice()) })()
  for (let i = 0; i < data.length; i += 16384) await stream.write(data.subarray(i, i + 16384))
  await stream.closeWrite()
  await reading
  const back = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let o = 0; for (const c of chunks) { back.set(c, o); o += c.length }
  const match = back.length === data.length && back.every((b, i) => b === data[i])
  window.result = { ok: true, match, bytes: back.length, limited: connection.limited, remotePeer: connection.remotePeer.toString(), remoteAddr: connection.remoteAddr.toString() }
  await node.stop()
} catch (err) {
  window.result = { ok: false, error: err.name + ': ' + err.message }
}
`

const test = suite('a browser dials a Node peer through a relay over WebSocket')
let browser
let server

test.before(async () => {
  const bundle = await esbuild.build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: DIST, sourcefile: 'relay-page.js' },
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning'
  })
  const page = `<!doctype html><script type="module">${bundle.outputFiles[0].text.replace(/<\/script/g, '<\\/script')}</script>`
  server = await serveDirectory(DIST, page)
  browser = await launchChromium()
})

test.after(async () => {
  await browser?.close()
  server?.close()
})

async function browserEcho (circuitAddr) {
  const page = await browser.newPage()
  try {
    await page.goto(`${server.base}/#${encodeURIComponent(circuitAddr)}`)
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: PAGE_TIMEOUT_MS })
    return await page.evaluate(() => window.result)
  } finally { await page.close() }
}

test('wasp2p relay: browser → relay (ws) → Node wasp2p peer', async () => {
  const relay = await startRelayNode({
    listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'],
    services: { relay: circuitRelayServer({ limit: { durationSeconds: 60, dataBytes: 8n << 20n } }) }
  })
  const relayTcp = relay.getMultiaddrs().map(String).find(a => !a.includes('/ws'))
  const a = await startRelayNode({ listen: [`${relayTcp}/p2p-circuit`], services: { circuit: circuitRelayTransport() } })
  a.handle(ECHO_PROTOCOL, echoHandler)
  try {
    const circuit = a.getMultiaddrs().map(String).find(x => x.includes('/ws/') && x.includes('/p2p-circuit'))
    assert.ok(circuit, 'A announces the relay\'s ws address')
    const result = await browserEcho(circuit)
    assert.ok(result.ok, result.error)
    assert.ok(result.match, `${BYTES} bytes echoed byte-exact`)
    assert.is(result.remotePeer, a.peerId.toString())
    assert.ok(result.limited)
  } finally {
    await a.stop()
    await relay.stop()
  }
})

test('js-libp2p relay: browser → js relay (ws) → Node wasp2p peer', async () => {
  const relay = await startJsRelayPeer({ relayServer: { dataBytes: 8 << 20, durationMs: 60_000 } })
  const a = await startRelayNode({ listen: [`${relay.tcpAddr}/p2p-circuit`], services: { circuit: circuitRelayTransport() } })
  a.handle(ECHO_PROTOCOL, echoHandler)
  try {
    const circuit = a.getMultiaddrs().map(String).find(x => x.includes('/ws/') && x.includes('/p2p-circuit'))
    assert.ok(circuit, 'A announces the js relay\'s ws address')
    const result = await browserEcho(circuit)
    assert.ok(result.ok, result.error)
    assert.ok(result.match)
    assert.is(result.remotePeer, a.peerId.toString())
  } finally {
    await a.stop()
    await relay.stop()
  }
})

test.run()
