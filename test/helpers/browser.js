// Headless Chromium for the test and benchmark runners: Debian's /usr/bin/chromium
// (or CHROME_PATH) driven by playwright-core, pages served from 127.0.0.1.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// WebRtcHideLocalIpsWithMdns off: ICE host candidates carry the host's own address instead of a
// random `.local` name that Chromium would resolve by multicast DNS on the network (webrtc tests).
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
  '--disable-features=WebRtcHideLocalIpsWithMdns']

export const chromePath = () => process.env.CHROME_PATH ?? '/usr/bin/chromium'

/** Says loudly that there is no browser; exits (with failure under CI=true). */
export function requireChromium (what) {
  if (existsSync(chromePath())) return
  const line = '!'.repeat(78)
  console.error(`${line}\n!! NO CHROMIUM at ${chromePath()}: ${what} did NOT run.\n!! Install Debian's chromium (apt-get install chromium) or set CHROME_PATH.\n${line}`)
  process.exit(process.env.CI === 'true' ? 1 : 0)
}

export async function launchChromium () {
  const { chromium } = await import('playwright-core')
  return await chromium.launch({ executablePath: chromePath(), args: CHROMIUM_FLAGS, headless: true })
}

/** Serves `page` at / and the files of `dir` as JavaScript, on 127.0.0.1. */
export async function serveDirectory (dir, page) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    if (path === '/' || path === '/index.html') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(page); return }
    try {
      const body = await readFile(join(dir, path.slice(1).replace(/\.\./g, '')))
      res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(body)
    } catch { res.writeHead(404); res.end() }
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => server.close() }
}

/** The worker prelude: relay console output and uncaught errors to the page as messages. */
export const WORKER_PRELUDE = `
const relay = (kind) => (...args) => self.postMessage({ kind, text: args.map(String).join(' ') })
console.log = relay('log'); console.info = relay('log'); console.error = relay('error'); console.warn = relay('error')
self.addEventListener('error', e => self.postMessage({ kind: 'fatal', text: 'uncaught: ' + (e.message || e) }))
self.addEventListener('unhandledrejection', e => self.postMessage({ kind: 'fatal', text: 'unhandled rejection: ' + (e.reason && e.reason.stack || e.reason) }))
`

const DIST = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist')

/**
 * The suites and benchmarks force every backend, the scalar WASM build
 * included, which a browser bundle carries only when enabled (src/wasm/scalar.ts).
 */
const ENABLE_SCALAR = `
import { enableScalarKernels } from ${JSON.stringify(join(DIST, 'wasm', 'scalar.js'))}
import { scalarKernels } from ${JSON.stringify(join(DIST, 'wasm', 'generated', 'scalar-kernels.js'))}
enableScalarKernels(scalarKernels)
`

/** An esbuild plugin that resolves `./prelude.js` to WORKER_PRELUDE, with the scalar kernels enabled. */
export const preludePlugin = {
  name: 'prelude',
  setup (b) {
    b.onResolve({ filter: /^\.\/prelude\.js$/ }, () => ({ path: 'prelude', namespace: 'prelude' }))
    b.onLoad({ filter: /.*/, namespace: 'prelude' }, () => ({ contents: WORKER_PRELUDE + ENABLE_SCALAR, loader: 'js', resolveDir: DIST }))
  }
}

/** The page: runs /<file> in a module Worker and relays its messages as JSON console lines. */
export const WORKER_PAGE = `<!doctype html><meta charset="utf-8"><title>wasp2p</title><script type="module">
const params = new URLSearchParams(location.search)
const say = (kind, text) => console.log(JSON.stringify({ kind, text }))
if (params.has('main')) {
  import('/' + params.get('main')).then(m => m.check()).then(t => say('main', t), e => say('fatal', 'main thread: ' + (e && e.stack || e)))
} else {
  const worker = new Worker('/' + params.get('file'), { type: 'module' })
  worker.onmessage = e => say(e.data.kind, e.data.text)
  worker.onerror = e => say('fatal', 'worker error: ' + (e.message || 'failed to load'))
}
</script>`

/**
 * Opens a page, collects relayed output until `isDone(output)` or a fatal message or `timeoutMs`.
 * `newlines`: end each relayed message with a newline (uvu writes fragments, so tests say no).
 */
export async function runPage (browser, url, isDone, timeoutMs, { newlines = false } = {}) {
  const page = await browser.newPage()
  let output = ''
  let fatal = ''
  let done
  const finished = new Promise(resolve => { done = resolve })
  page.on('console', msg => {
    let m
    try { m = JSON.parse(msg.text()) } catch { return }
    if (m.kind === 'fatal') { fatal += m.text + '\n'; done() } else output += m.text + (newlines ? '\n' : '')
    if (isDone(output)) done()
  })
  page.on('pageerror', err => { fatal += `page error: ${err.message}\n`; done() })
  const timer = setTimeout(() => { fatal += `timed out after ${timeoutMs} ms\n`; done() }, timeoutMs)
  await page.goto(url)
  await finished
  clearTimeout(timer)
  await page.close()
  return { output, fatal }
}
