// The "must show" of the demo: `wasp2p start` serves the page, and the page's
// in-browser wasp2p node (headless Chromium) connects to the Node node over
// WebSockets, identifies it and shows it connected with a live RTT.
//
// And the browser end to end: the same page is also given a js-libp2p node
// (a separate process, ?peer=<its /ws address>); the browser node dials both
// over WebSockets and runs identify, ping and /echo/1.0.0 with each. The page
// writes each result into data-* attributes of the peer's table row.
//
// Without a Chromium this says so loudly and, under CI=true, fails.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { launchChromium, requireChromium } from '../helpers/browser.js'
import { startCli } from '../helpers/cli.js'
import { startJsPeer } from '../interop/fixtures/js-peer-process.js'

requireChromium('test/demo/demo-page.node.test.js')

/** Time for the page to load, dial, identify, echo and get two pings in, on a busy machine. */
const PAGE_TIMEOUT_MS = 45_000
/** Distinct pings seen per peer: proves the RTT updates, not just appears. */
const PINGS_WANTED = 2

const test = suite('demo page in headless Chromium')
let cli
let js
let browser
let page
const pageErrors = []

test.before(async () => {
  ;[cli, js, browser] = await Promise.all([startCli(), startJsPeer(), launchChromium()])
  page = await browser.newPage()
  page.on('pageerror', err => { pageErrors.push(err.message) })
  await page.goto(`${cli.demoUrl}?peer=${encodeURIComponent(js.wsAddr)}`)
})

test.after(async () => {
  await page?.close()
  await browser?.close()
  const stopped = await cli?.stop()
  await js?.stop()
  assert.not.ok(stopped?.hung, 'wasp2p start did not exit after SIGINT')
})

async function waitForRow (peerId) {
  const selector = `tr[data-peer="${peerId}"][data-status="connected"][data-echo]`
  await page.waitForFunction(({ selector, pings }) => {
    const row = document.querySelector(selector)
    return row !== null && Number(row.dataset.pings ?? 0) >= pings
  }, { selector, pings: PINGS_WANTED }, { timeout: PAGE_TIMEOUT_MS }).catch(async err => {
    const state = await page.$$eval('tr[data-addr]', rows => rows.map(r => JSON.stringify(r.dataset)).join('\n'))
    throw new Error(`${err.message}\npeer rows:\n${state}`)
  })
  return await page.$eval(`tr[data-peer="${peerId}"]`, row => ({ ...row.dataset, text: row.textContent }))
}

test('the page shows its own peer id and the WASM backend', async () => {
  await page.waitForFunction(() => document.getElementById('self-peer-id')?.textContent?.startsWith('12D3KooW'), null, { timeout: PAGE_TIMEOUT_MS })
  const self = await page.$eval('#self-peer-id', el => el.textContent)
  const backend = await page.$eval('#backend', el => el.textContent)
  assert.ok(self !== cli.peerId && self !== js.peerId)
  // Chromium supports WASM SIMD: the page must not have fallen back.
  assert.is(backend, 'wasm-simd')
})

test('the page node connects to the `wasp2p start` node over WS: identified, connected, RTT shown and updating', async () => {
  const row = await waitForRow(cli.peerId)
  assert.is(row.status, 'connected')
  assert.ok(row.addr.includes('/ws/'), row.addr)
  assert.is(row.agent, 'wasp2p-cli/0.1.0')
  for (const p of ['/ipfs/ping/1.0.0', '/ipfs/id/1.0.0', '/perf/1.0.0', '/echo/1.0.0']) assert.ok(row.protocols.split(' ').includes(p), row.protocols)
  const rtt = Number(row.rtt)
  assert.ok(rtt > 0 && rtt < 5000, `rtt ${row.rtt}`)
  assert.ok(row.text.includes(`${Number(row.rtt).toFixed(2)} ms`), row.text)
  assert.ok(Number(row.pings) >= PINGS_WANTED)
  assert.is(row.echo, 'ok (65536 B)')
  assert.is(row.error, undefined)
})

test('browser end to end with js-libp2p over WS: identify, ping and echo', async () => {
  const row = await waitForRow(js.peerId)
  assert.is(row.status, 'connected')
  assert.match(row.agent, /js-libp2p/)
  for (const p of ['/ipfs/ping/1.0.0', '/ipfs/id/1.0.0', '/echo/1.0.0']) assert.ok(row.protocols.split(' ').includes(p), row.protocols)
  assert.ok(Number(row.rtt) > 0, row.rtt)
  assert.ok(Number(row.pings) >= PINGS_WANTED)
  assert.is(row.echo, 'ok (65536 B)')
  assert.is(row.error, undefined)
})

test('the Node node saw the browser node connect and identified it', async () => {
  const self = await page.$eval('#self-peer-id', el => el.textContent)
  for (let i = 0; i < 50 && !cli.output().includes(`identified ${self}`); i++) await new Promise(resolve => setTimeout(resolve, 100))
  assert.ok(cli.output().includes(`connection inbound ${self}`), cli.output())
  assert.match(cli.output(), new RegExp(`identified ${self}: wasp2p-browser-demo/0\\.1\\.0`))
})

test('no uncaught errors in the page', () => {
  assert.equal(pageErrors, [])
})

test.run()
