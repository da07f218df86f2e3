#!/usr/bin/env node
// Runs the same test files in headless Chromium. esbuild bundles each file
// that is not `*.node.test.js`; a static server on 127.0.0.1 serves them; one
// page per file runs the suite in a module Worker (where WebAssembly may
// compile synchronously, as in Node) and relays uvu's output, which is
// printed here. The page's main thread also checks the path a browser app
// takes: `await init()`, then the WASM SIMD kernel on the main thread.
//
// Without a Chromium this says so loudly and, under CI=true, fails.
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import { join, relative } from 'node:path'
import * as esbuild from 'esbuild'
import { ROOT, findTestFiles, parseUvuSummary, saveCounts, stripAnsi } from './runner-common.js'

/** A page whose suite has not finished after this long is counted as failed. */
export const FILE_TIMEOUT_MS = 120_000
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic']

const OUT = join(ROOT, 'build', 'out', 'browser-tests')
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium'

if (!existsSync(chromePath)) {
  const line = '!'.repeat(78)
  console.error(`${line}\n!! NO CHROMIUM at ${chromePath}: the browser half of the suite did NOT run.\n!! Install Debian's chromium (apt-get install chromium) or set CHROME_PATH.\n${line}`)
  process.exit(process.env.CI === 'true' ? 1 : 0)
}

const filter = process.argv.slice(2)
const files = (await findTestFiles({ browser: true })).filter(f => filter.length === 0 || filter.some(x => f.includes(x)))

// The worker prelude: relay console output and uncaught errors to the page.
const PRELUDE = `
const relay = (kind) => (...args) => self.postMessage({ kind, text: args.map(String).join(' ') })
console.log = relay('log'); console.info = relay('log'); console.error = relay('error'); console.warn = relay('error')
self.addEventListener('error', e => self.postMessage({ kind: 'fatal', text: 'uncaught: ' + (e.message || e) }))
self.addEventListener('unhandledrejection', e => self.postMessage({ kind: 'fatal', text: 'unhandled rejection: ' + (e.reason && e.reason.stack || e.reason) }))
`

await rm(OUT, { recursive: true, force: true })
await mkdir(OUT, { recursive: true })
const bundles = []
for (const [i, file] of files.entries()) {
  const name = `t${i}.js`
  await esbuild.build({
    stdin: { contents: `import './prelude.js'\nimport ${JSON.stringify(file)}\n`, resolveDir: OUT, sourcefile: `entry-${i}.js` },
    outfile: join(OUT, name),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
    // package.json says sideEffects: false (true of the library); a test file is all side effects.
    ignoreAnnotations: true,
    plugins: [{ name: 'prelude', setup (b) { b.onResolve({ filter: /^\.\/prelude\.js$/ }, () => ({ path: 'prelude', namespace: 'prelude' })); b.onLoad({ filter: /.*/, namespace: 'prelude' }, () => ({ contents: PRELUDE, loader: 'js' })) } }]
  })
  bundles.push({ file, name })
}
await esbuild.build({ entryPoints: [join(ROOT, 'test', 'helpers', 'main-thread-check.js')], outfile: join(OUT, 'main-thread-check.js'), bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'error' })

const PAGE = `<!doctype html><meta charset="utf-8"><title>wasp2p tests</title><script type="module">
const params = new URLSearchParams(location.search)
const say = (kind, text) => console.log(JSON.stringify({ kind, text }))
if (params.has('main')) {
  import('/main-thread-check.js').then(m => m.check()).then(t => say('main', t), e => say('fatal', 'main thread: ' + (e && e.stack || e)))
} else {
  const worker = new Worker('/' + params.get('file'), { type: 'module' })
  worker.onmessage = e => say(e.data.kind, e.data.text)
  worker.onerror = e => say('fatal', 'worker error: ' + (e.message || 'failed to load'))
}
</script>`

const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname
  if (path === '/' || path === '/index.html') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(PAGE); return }
  try {
    const body = await readFile(join(OUT, path.slice(1).replace(/\.\./g, '')))
    res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(body)
  } catch { res.writeHead(404); res.end() }
})
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
const base = `http://127.0.0.1:${server.address().port}`

const { chromium } = await import('playwright-core')
const browser = await chromium.launch({ executablePath: chromePath, args: CHROMIUM_FLAGS, headless: true })
const version = browser.version()

async function runPage (query, isDone) {
  const page = await browser.newPage()
  let output = ''
  let fatal = ''
  let done
  const finished = new Promise(resolve => { done = resolve })
  page.on('console', msg => {
    let m
    try { m = JSON.parse(msg.text()) } catch { return }
    if (m.kind === 'fatal') { fatal += m.text + '\n'; done() } else output += m.text + (m.kind === 'main' ? '' : '')
    if (isDone(output)) done()
  })
  page.on('pageerror', err => { fatal += `page error: ${err.message}\n`; done() })
  const timer = setTimeout(() => { fatal += `timed out after ${FILE_TIMEOUT_MS} ms\n`; done() }, FILE_TIMEOUT_MS)
  await page.goto(`${base}/?${query}`)
  await finished
  clearTimeout(timer)
  await page.close()
  return { output, fatal }
}

let passed = 0
let failed = 0
const lines = []
try {
  const main = await runPage('main=1', out => out.length > 0)
  const mainOk = main.fatal === '' && main.output.startsWith('ok')
  console.log(`[chromium ${version}] main thread after await init(): ${main.output || main.fatal.trim()}`)
  if (mainOk) passed++; else failed++
  lines.push(`${mainOk ? 'ok    ' : 'FAILED'} main-thread check`)

  for (const { file, name } of bundles) {
    const started = performance.now()
    const r = await runPage(`file=${name}`, out => /Duration:/.test(out))
    const summary = parseUvuSummary(r.output)
    const ok = r.fatal === '' && summary !== undefined && summary.total > 0 && summary.passed === summary.total && summary.skipped === 0
    console.log(`\n── [chromium] ${relative(ROOT, file)} (${Math.round(performance.now() - started)} ms) ${ok ? 'ok' : 'FAILED'}`)
    console.log(stripAnsi(r.output).trimEnd())
    if (r.fatal) console.log(r.fatal.trimEnd())
    const p = summary?.passed ?? 0
    const total = summary?.total ?? 0
    passed += p
    failed += ok ? total - p : Math.max(1, total - p)
    lines.push(`${ok ? 'ok    ' : 'FAILED'} ${relative(ROOT, file)}  ${p}/${total}`)
  }
} finally {
  await browser.close()
  server.close()
}
console.log(`\n── chromium summary\n${lines.join('\n')}`)
console.log(`\nchromium: ${passed} passed, ${failed} failed`)
await saveCounts('chromium', { passed, failed })
process.exitCode = failed > 0 ? 1 : 0
