#!/usr/bin/env node
// Runs the same test files in headless Chromium. esbuild bundles each file
// that is not `*.node.test.js`; a static server on 127.0.0.1 serves them; one
// page per file runs the suite in a module Worker (where WebAssembly may
// compile synchronously, as in Node) and relays uvu's output, which is
// printed here. The page's main thread also checks the path a browser app
// takes: `await init()`, then the WASM SIMD kernel on the main thread.
//
// Without a Chromium this says so loudly and, under CI=true, fails.
import { mkdir, rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import * as esbuild from 'esbuild'
import { ROOT, findTestFiles, parseUvuSummary, saveCounts, stripAnsi } from './runner-common.js'
import { WORKER_PAGE, launchChromium, preludePlugin, requireChromium, runPage, serveDirectory } from './helpers/browser.js'

/** A page whose suite has not finished after this long is counted as failed. */
export const FILE_TIMEOUT_MS = 120_000

const OUT = join(ROOT, 'build', 'out', 'browser-tests')
requireChromium('the browser half of the suite')

const filter = process.argv.slice(2)
const files = (await findTestFiles({ browser: true })).filter(f => filter.length === 0 || filter.some(x => f.includes(x)))

await rm(OUT, { recursive: true, force: true })
await mkdir(OUT, { recursive: true })
const common = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'error' }
const bundles = []
for (const [i, file] of files.entries()) {
  const name = `t${i}.js`
  await esbuild.build({
    ...common,
    stdin: { contents: `import './prelude.js'\nimport ${JSON.stringify(file)}\n`, resolveDir: OUT, sourcefile: `entry-${i}.js` },
    outfile: join(OUT, name),
    // package.json says sideEffects: false (true of the library); a test file is all side effects.
    ignoreAnnotations: true,
    plugins: [preludePlugin]
  })
  bundles.push({ file, name })
}
await esbuild.build({ ...common, entryPoints: [join(ROOT, 'test', 'helpers', 'main-thread-check.js')], outfile: join(OUT, 'main-thread-check.js') })

const server = await serveDirectory(OUT, WORKER_PAGE)
const browser = await launchChromium()
let passed = 0
let failed = 0
const lines = []
try {
  const main = await runPage(browser, `${server.base}/?main=main-thread-check.js`, out => out.length > 0, FILE_TIMEOUT_MS)
  const mainOk = main.fatal === '' && main.output.startsWith('ok')
  console.log(`[chromium ${browser.version()}] main thread after await init(): ${main.output || main.fatal.trim()}`)
  if (mainOk) passed++; else failed++
  lines.push(`${mainOk ? 'ok    ' : 'FAILED'} main-thread check`)

  for (const { file, name } of bundles) {
    const started = performance.now()
    const r = await runPage(browser, `${server.base}/?file=${name}`, out => /Duration:/.test(out), FILE_TIMEOUT_MS)
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
