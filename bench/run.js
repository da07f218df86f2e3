#!/usr/bin/env node
// `npm run bench -- [name ...] [--json]`: runs bench/<name>.js (all of them when no name is given).
import { readdir } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { saveReport } from './harness.js'

const dir = fileURLToPath(new URL('.', import.meta.url))
// Not benchmarks: the harness, the two runners, and the soak (`npm run soak`: a long script that runs on import, with its child processes).
const NOT_BENCHMARKS = new Set(['harness.js', 'run.js', 'run-browser.js', 'soak.js', 'soak-client.js', 'soak-hostile.js'])
const available = (await readdir(dir)).filter(f => f.endsWith('.js') && !NOT_BENCHMARKS.has(f)).map(f => f.slice(0, -3)).sort()
const asked = process.argv.slice(2).filter(a => !a.startsWith('--'))
// A name selects that benchmark, or every one it prefixes: `crypto` runs crypto-chacha and crypto-sha256.
const names = []
for (const name of asked.length > 0 ? asked : available) {
  const matches = available.filter(a => a === name || a.startsWith(`${name}-`))
  if (matches.length === 0) {
    console.error(`no benchmark named "${name}"; available: ${available.join(', ')}`)
    process.exit(2)
  }
  names.push(...matches.filter(m => !names.includes(m)))
}
for (const name of names) {
  console.log(`\n=== bench/${name}.js ===`)
  const module = await import(pathToFileURL(`${dir}${name}.js`).href)
  if (typeof module.run !== 'function') {
    console.error(`bench/${name}.js exports no run(): not a benchmark (list it in NOT_BENCHMARKS)`)
    process.exitCode = 1
    continue
  }
  const report = await module.run()
  // A benchmark that ran nothing (a filter matched none of its cases) returns no report.
  const file = report === undefined ? undefined : await saveReport(report)
  if (file) console.log(`wrote ${file}`)
}
