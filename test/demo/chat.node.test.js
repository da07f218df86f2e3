// The demo's chat in headless Chromium: two pages (tabs) connect to a `wasp2p start` node over
// WebSockets and exchange gossipsub messages through it; the Node node sees them too, and a
// message published from the command line (`wasp2p pubsub pub`) reaches both pages.
// Without a Chromium this says so loudly and, under CI=true, fails.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { launchChromium, requireChromium } from '../helpers/browser.js'
import { runCli, startCli } from '../helpers/cli.js'

requireChromium('test/demo/chat.node.test.js')

/** Time for a page to load, dial, identify and learn the chat topic's peers on a busy machine. */
const PAGE_TIMEOUT_MS = 45_000
const TOPIC = 'wasp2p-demo-chat'

const test = suite('demo chat in headless Chromium')
let cli, browser
const pages = []
const pageErrors = []

test.before(async () => {
  ;[cli, browser] = await Promise.all([startCli(), launchChromium()])
  for (let i = 0; i < 2; i++) {
    const page = await browser.newPage()
    page.on('pageerror', err => { pageErrors.push(err.message) })
    await page.goto(cli.demoUrl)
    pages.push(page)
  }
})

test.after(async () => {
  for (const page of pages) await page.close()
  await browser?.close()
  const stopped = await cli?.stop()
  assert.not.ok(stopped?.hung, 'wasp2p start did not exit after SIGINT')
})

const lines = async page => await page.$$eval('#chat-messages li', items => items.map(li => ({ from: li.dataset.from, self: li.dataset.self === 'true', text: li.textContent })))

async function waitForLine (page, text) {
  await page.waitForFunction(text => [...document.querySelectorAll('#chat-messages li')].some(li => li.textContent.endsWith(`: ${text}`)), text, { timeout: PAGE_TIMEOUT_MS })
}

test('both pages join the chat through the Node node', async () => {
  for (const page of pages) {
    await page.waitForFunction(() => Number(document.getElementById('chat-status')?.dataset.peers ?? 0) >= 1, null, { timeout: PAGE_TIMEOUT_MS })
    // Joined means grafted: the Node node is in the page's mesh for the topic (so the page is in its mesh too).
    await page.waitForFunction(topic => (globalThis.wasp2pDemo?.node.services.pubsub.getMeshPeers(topic).length ?? 0) >= 1, TOPIC, { timeout: PAGE_TIMEOUT_MS })
  }
})

test('a message typed in one page appears in the other, from the first page\'s node, and at the Node node', async () => {
  const [a, b] = pages
  const aId = await a.$eval('#self-peer-id', el => el.textContent)
  await a.fill('#chat-input', 'hello from tab A')
  await a.click('#chat-send')
  await waitForLine(b, 'hello from tab A')
  const got = (await lines(b)).filter(l => l.text.endsWith('hello from tab A'))
  assert.is(got.length, 1)
  assert.is(got[0].from, aId)
  assert.not.ok(got[0].self)
  assert.ok((await lines(a)).some(l => l.self && l.text === 'me: hello from tab A'))
  const deadline = Date.now() + 10_000
  while (!cli.output().includes(`chat ${aId}: hello from tab A`) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100))
  assert.ok(cli.output().includes(`chat ${aId}: hello from tab A`), 'the Node node printed it')
})

test('and back: B answers A', async () => {
  const [a, b] = pages
  await b.fill('#chat-input', 'hi A, B here')
  await b.press('#chat-input', 'Enter')
  await waitForLine(a, 'hi A, B here')
})

test('a message from the command line reaches both pages', async () => {
  const pub = await runCli(['pubsub', 'pub', TOPIC, 'from the terminal', '--peer', cli.tcpAddr])
  assert.is(pub.code, 0, pub.stderr)
  for (const page of pages) await waitForLine(page, 'from the terminal')
  assert.equal(pageErrors, [])
})

test.run()
