// The demo's browser-to-browser part: `wasp2p start --relay-server` serves the
// page and relays; two tabs of the page (headless Chromium) each reserve on
// it and show a `/p2p-circuit/webrtc` address. Tab A is given tab B's address
// (?peer=, as pasting it into the dial form does), connects directly over
// WebRTC and pings it (the row says via=webrtc, RTT updating) and checks echo;
// then the two tabs chat both ways over that connection.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { launchChromium, requireChromium } from '../helpers/browser.js'
import { startCli } from '../helpers/cli.js'
import { runInOwnNamespace } from '../helpers/own-namespace.js'

// ICE must not reach the machine's real interface: the whole file runs in a namespace of its own.
await runInOwnNamespace(import.meta.url)

requireChromium('test/demo/demo-webrtc.node.test.js')

/** Time for a tab to load, reserve, dial, identify, echo and get two pings in, on a busy machine. */
const PAGE_TIMEOUT_MS = 45_000
const PINGS_WANTED = 2

const test = suite('demo page: two tabs over WebRTC')
let cli, browser, a, b, addrB, idA, idB
const pageErrors = []

async function openTab (query = '') {
  const page = await browser.newPage()
  page.on('pageerror', err => { pageErrors.push(err.message) })
  await page.goto(`${cli.demoUrl}${query}`)
  await page.waitForFunction(() => document.getElementById('self-webrtc-addr')?.dataset.addr !== undefined, null, { timeout: PAGE_TIMEOUT_MS })
  return page
}

test.before(async () => {
  ;[cli, browser] = await Promise.all([startCli(['--relay-server']), launchChromium()])
  b = await openTab()
  addrB = await b.$eval('#self-webrtc-addr', el => el.dataset.addr)
  idB = await b.$eval('#self-peer-id', el => el.textContent)
  a = await openTab(`?peer=${encodeURIComponent(addrB)}`)
  idA = await a.$eval('#self-peer-id', el => el.textContent)
})

test.after(async () => {
  await a?.close()
  await b?.close()
  await browser?.close()
  const stopped = await cli?.stop()
  assert.not.ok(stopped?.hung, 'wasp2p start did not exit after SIGINT')
})

test('each tab listens on <relay>/p2p-circuit/webrtc/p2p/<tab>', async () => {
  assert.ok(addrB.includes(`/p2p/${cli.peerId}/p2p-circuit/webrtc/p2p/${idB}`), addrB)
  const addrA = await a.$eval('#self-webrtc-addr', el => el.dataset.addr)
  assert.ok(addrA.endsWith(`/p2p-circuit/webrtc/p2p/${idA}`), addrA)
})

test('tab A reaches tab B directly over WebRTC: connected, via webrtc, echo ok, RTT updating', async () => {
  const selector = `tr[data-peer="${idB}"][data-status="connected"][data-echo]`
  await a.waitForFunction(({ selector, pings }) => {
    const row = document.querySelector(selector)
    return row !== null && Number(row.dataset.pings ?? 0) >= pings
  }, { selector, pings: PINGS_WANTED }, { timeout: PAGE_TIMEOUT_MS }).catch(async err => {
    const rows = await a.$$eval('tr[data-addr]', rows => rows.map(r => JSON.stringify(r.dataset)).join('\n'))
    throw new Error(`${err.message}\nrows:\n${rows}`)
  })
  const row = await a.$eval(`tr[data-peer="${idB}"]`, r => ({ ...r.dataset }))
  assert.is(row.via, 'webrtc')
  assert.is(row.agent, 'wasp2p-browser-demo/0.1.0')
  assert.is(row.echo, 'ok (65536 B)')
  assert.ok(Number(row.rtt) > 0 && Number(row.rtt) < 5000, row.rtt)
  assert.is(row.error, undefined)
})

async function chat (from, to, fromId, text) {
  await from.fill('#direct-chat-input', text)
  await from.click('#direct-chat-form button')
  await to.waitForFunction(({ fromId, text }) => [...document.querySelectorAll('#direct-chat-log li[data-direction="in"]')]
    .some(li => li.dataset.from === fromId && li.textContent.endsWith(text)), { fromId, text }, { timeout: PAGE_TIMEOUT_MS })
}

test('chat both ways between the tabs', async () => {
  await chat(a, b, idA, 'hello from A')
  await chat(b, a, idB, 'hello back from B')
  const sent = await a.$$eval('#direct-chat-log li[data-direction="out"]', lis => lis.map(li => li.dataset.from))
  assert.ok(sent.includes(idB), JSON.stringify(sent))
})

test('no page errors', () => {
  assert.equal(pageErrors, [])
})

test.run()
