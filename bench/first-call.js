// The first kernel call in Chromium, today's build against the last build before the compressed
// kernel embedding (issue 15: "the first kernel call costs no more than today").
//
// Each variant is the same entry (init, sha256, ChaCha20-Poly1305) bundled the way a user does
// (esbuild --bundle --minify --format=esm --platform=browser) from one build of the library:
// - "now": this checkout's dist/;
// - "before": commit BEFORE_COMMIT (the parent of 0840bd3, which introduced the DEFLATE
//   embedding): the kernels as plain base64, both builds, exported from git and built here once
//   (cached under build/out/first-call/).
// On a fresh page (its own browser context: no HTTP, code or WASM cache shared with another
// page), on the main thread, the page times from just before `import()` of the bundle (fetch,
// parse, evaluation) to the end of the first completed sha256, seal and open, after
// `await init()` (decoding, decompression, compilation, instantiation). Variants alternate page
// by page, so a busy neighbour disturbs both alike. Wall-time medians, and the renderer's CPU
// time (all its threads, background compilation included) as a mean: it advances in scheduler
// ticks, so only the mean over many pages resolves less.
//
// Not bench/run-browser.js: that runs a benchmark in one long-lived Worker, where neither the
// fresh page nor the main thread's 4 KiB synchronous-compile limit would be measured.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const OUT = join(ROOT, 'build', 'out', 'first-call')
/** The last commit whose kernels were embedded as plain base64 (git log -- src/wasm build/: 0840bd3 packed them). */
export const BEFORE_COMMIT = '0840bd3^'
/** Fresh pages per variant (the issue asks for medians of at least 10). */
export const ROUNDS = 31
/** A page that has not reported after this long counts as failed. */
const PAGE_TIMEOUT_MS = 60_000

/** The entry, for one build's dist/: only what the first calls need, so both builds are compared on the same API. */
function entrySource (dist) {
  const at = path => JSON.stringify(join(dist, path))
  return `
import { init } from ${at('wasm/kernel.js')}
import { sha256 } from ${at('crypto/sha256.js')}
import { chacha20poly1305 } from ${at('crypto/chacha20poly1305.js')}
import { activeBackend } from ${at('crypto/backends.js')}
export async function run () {
  const started = performance.now()
  await init()
  const compiled = performance.now()
  const digest = sha256(new Uint8Array(64))
  const cipher = chacha20poly1305(new Uint8Array(32).fill(1))
  const nonce = new Uint8Array(12)
  const sealed = cipher.encrypt(nonce, new Uint8Array(64).fill(2))
  const opened = cipher.decrypt(nonce, sealed)
  const done = performance.now()
  if (digest.length !== 32 || opened.length !== 64 || opened[0] !== 2) throw new Error('wrong results')
  return { initMs: compiled - started, callsMs: done - compiled, backend: activeBackend() }
}`
}

/** The page: times import() of the variant's bundle and its run(), and reports once. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>first kernel call</title><script type="module">
const file = new URLSearchParams(location.search).get('file')
window.go = async () => {
  const t0 = performance.now()
  const m = await import('/' + file)
  const imported = performance.now()
  const r = await m.run()
  return JSON.stringify({ ...r, importMs: imported - t0, totalMs: performance.now() - t0 })
}
window.ready = true
</script>`

/** dist/ of BEFORE_COMMIT, built once from `git archive` (the build needs only node_modules). */
async function beforeDist (log) {
  const rev = execFileSync('git', ['rev-parse', '--short', BEFORE_COMMIT], { cwd: ROOT, encoding: 'utf8' }).trim()
  const dir = join(OUT, `before-${rev}`)
  const dist = join(dir, 'dist')
  if (existsSync(join(dist, 'crypto', 'sha256.js'))) return { rev, dist }
  log(`building ${rev} (${BEFORE_COMMIT}) into ${dir}`)
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  execFileSync('sh', ['-c', `git archive ${rev} | tar -x -C "${dir}"`], { cwd: ROOT })
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
  execFileSync(process.execPath, ['build/build.js'], { cwd: dir, stdio: 'ignore' })
  return { rev, dist }
}

async function bundleEntry (dist, file) {
  const result = await esbuild.build({
    stdin: { contents: entrySource(dist), resolveDir: ROOT, sourcefile: `${file}-entry.js` },
    outfile: join(OUT, 'pages', file), bundle: true, minify: true, format: 'esm', platform: 'browser', logLevel: 'error', write: true
  })
  return result
}

/** One fresh page: its own context, so no cache of any kind is shared with the pages before it. */
async function once (browser, url) {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    const processTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find(m => m.name === 'ProcessTime').value
    await page.goto(url)
    await page.waitForFunction(() => window.ready === true, null, { timeout: PAGE_TIMEOUT_MS })
    const before = await processTime()
    const result = JSON.parse(await page.evaluate(async () => await window.go()))
    return { ...result, cpuMs: (await processTime() - before) * 1000 }
  } finally {
    await context.close()
  }
}

const median = values => { const s = [...values].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }
const mean = values => values.reduce((a, b) => a + b, 0) / values.length

export async function run (options = {}) {
  const log = options.log ?? (line => console.log(line))
  const { chromePath, launchChromium, serveDirectory } = await import('../test/helpers/browser.js')
  if (!existsSync(chromePath())) {
    const line = '!'.repeat(78)
    console.error(`${line}\n!! NO CHROMIUM at ${chromePath()}: bench/first-call.js did NOT run.\n${line}`)
    if (process.env.CI === 'true') throw new Error('no Chromium under CI')
    return { name: 'first-call', skipped: 'no Chromium' }
  }
  const before = await beforeDist(log)
  await rm(join(OUT, 'pages'), { recursive: true, force: true })
  const variants = [
    { name: `before (${before.rev}, plain base64, both builds)`, file: 'before.js', dist: before.dist },
    { name: 'now (this checkout)', file: 'now.js', dist: join(ROOT, 'dist') }
  ]
  for (const v of variants) await bundleEntry(v.dist, v.file)
  const { gzipSync } = await import('node:zlib')
  const { readFile } = await import('node:fs/promises')
  for (const v of variants) {
    const code = await readFile(join(OUT, 'pages', v.file))
    v.minified = code.length
    v.gzipped = gzipSync(code, { level: 9 }).length
  }
  const server = await serveDirectory(join(OUT, 'pages'), PAGE)
  const browser = await launchChromium()
  const samples = variants.map(() => [])
  try {
    for (let round = 0; round < (options.rounds ?? ROUNDS); round++) {
      for (const [i, v] of variants.entries()) samples[i].push(await once(browser, `${server.base}/?file=${v.file}`))
    }
  } finally {
    await browser.close()
    server.close()
  }
  const rows = variants.map((v, i) => {
    const s = samples[i]
    const backends = [...new Set(s.map(x => x.backend))]
    return {
      name: v.name,
      bundleMinified: v.minified,
      bundleGzipped: v.gzipped,
      backend: backends.join(', '),
      totalMedianMs: median(s.map(x => x.totalMs)),
      totalMinMs: Math.min(...s.map(x => x.totalMs)),
      importMedianMs: median(s.map(x => x.importMs)),
      initMedianMs: median(s.map(x => x.initMs)),
      callsMedianMs: median(s.map(x => x.callsMs)),
      cpuMeanMs: mean(s.map(x => x.cpuMs))
    }
  })
  const base = rows[0]
  for (const r of rows) {
    r.totalVsBefore = r.totalMedianMs / base.totalMedianMs
    r.cpuVsBefore = r.cpuMeanMs / base.cpuMeanMs
  }
  log(`first kernel call in Chromium ${browser.version()}: fresh page, main thread, import() → await init() → first sha256, seal, open (${options.rounds ?? ROUNDS} pages per variant, alternating; load average ${os.loadavg()[0].toFixed(1)})`)
  const f = n => `${n.toFixed(2)} ms`
  const header = ['variant', 'bundle gz', 'backend', 'total median', 'total min', 'import', 'init', 'calls', 'CPU mean', '× before (median)', '× before (CPU)']
  const cells = rows.map(r => [r.name, `${(r.bundleGzipped / 1000).toFixed(1)} KB`, r.backend, f(r.totalMedianMs), f(r.totalMinMs), f(r.importMedianMs), f(r.initMedianMs), f(r.callsMedianMs), f(r.cpuMeanMs), r.totalVsBefore.toFixed(2), r.cpuVsBefore.toFixed(2)])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map(c => c[i].length)))
  for (const line of [header, ...cells]) log(line.map((c, i) => i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])).join('  '))
  return {
    name: 'first-call',
    date: new Date().toISOString(),
    chromium: browser.version(),
    beforeCommit: before.rev,
    rounds: options.rounds ?? ROUNDS,
    loadAverage: os.loadavg(),
    measured: 'fresh browser context per page, main thread: import() of the bundle, await init(), first sha256, seal, open',
    rows
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { saveReport } = await import('./harness.js')
  const report = await run()
  const file = await saveReport(report)
  if (file) console.log(`wrote ${file}`)
}
