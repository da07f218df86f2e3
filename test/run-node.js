#!/usr/bin/env node
// Runs every test/**/*.test.js file in its own Node process (each file also
// runs alone: `node test/x/y.test.js`), prints its output, and closes with one
// line "N passed, N failed" counted over test cases. Exits 1 on any failure,
// on a file that ran no test, or on a file that timed out.
import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { relative } from 'node:path'
import { ROOT, findTestFiles, parseUvuSummary, saveCounts, stripAnsi } from './runner-common.js'

/** A test file that has not finished after this long is killed and counted as failed. */
export const FILE_TIMEOUT_MS = 300_000
/** Files run at once: the machine has 2 cores and interop tests start peers of their own. */
export const CONCURRENCY = Math.max(1, Math.min(2, availableParallelism()))
/** Preloaded into every file: exit once its event loop is empty (see the file for why). */
const EXIT_WHEN_DONE = new URL('./helpers/exit-when-done.js', import.meta.url).href

function runFile (file) {
  return new Promise(resolve => {
    const started = performance.now()
    const child = spawn(process.execPath, ['--import', EXIT_WHEN_DONE, file], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', d => { output += d })
    child.stderr.on('data', d => { output += d })
    const timer = setTimeout(() => { output += `\n[runner] killed after ${FILE_TIMEOUT_MS} ms\n`; child.kill('SIGKILL') }, FILE_TIMEOUT_MS)
    child.on('close', code => {
      clearTimeout(timer)
      resolve({ file, code, output, ms: performance.now() - started })
    })
  })
}

const filter = process.argv.slice(2)
const files = (await findTestFiles({ browser: false })).filter(f => filter.length === 0 || filter.some(x => f.includes(x)))
const { activeBackend } = await import('../dist/crypto/index.js')
console.log(`[node ${process.versions.node}] ${files.length} test files; kernels run on ${activeBackend()} by default (suites that test each backend say which)`)

const queue = [...files]
const results = []
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const result = await runFile(file)
    const summary = parseUvuSummary(result.output)
    const ok = result.code === 0 && summary !== undefined && summary.total > 0 && summary.passed === summary.total && summary.skipped === 0
    results.push({ ...result, summary, ok })
    console.log(`\n── ${relative(ROOT, file)} (${Math.round(result.ms)} ms) ${ok ? 'ok' : 'FAILED'}`)
    process.stdout.write(stripAnsi(result.output).trimEnd() + '\n')
  }
}))

let passed = 0
let failed = 0
console.log('\n── node summary')
for (const r of results.sort((a, b) => a.file.localeCompare(b.file))) {
  const p = r.summary?.passed ?? 0
  const total = r.summary?.total ?? 0
  passed += p
  failed += r.ok ? total - p : Math.max(1, total - p)
  console.log(`${r.ok ? 'ok    ' : 'FAILED'} ${relative(ROOT, r.file)}  ${p}/${total}${r.summary === undefined ? ' (no uvu summary: crashed or ran no test)' : ''}`)
}
console.log(`\nnode: ${passed} passed, ${failed} failed`)
await saveCounts('node', { passed, failed })
process.exitCode = failed > 0 || results.length === 0 ? 1 : 0
