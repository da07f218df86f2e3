#!/usr/bin/env node
// `npm run bench -- [name ...] [--json]`: runs bench/<name>.js (all of them when no name is given).
import { readdir } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { saveReport } from './harness.js'

const dir = fileURLToPath(new URL('.', import.meta.url))
const NOT_BENCHMARKS = new Set(['harness.js', 'run.js'])
const available = (await readdir(dir)).filter(f => f.endsWith('.js') && !NOT_BENCHMARKS.has(f)).map(f => f.slice(0, -3)).sort()
const asked = process.argv.slice(2).filter(a => !a.startsWith('--'))
const names = asked.length > 0 ? asked : available
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`no benchmark named "${name}"; available: ${available.join(', ')}`)
    process.exit(2)
  }
}
for (const name of names) {
  console.log(`\n=== bench/${name}.js ===`)
  const module = await import(pathToFileURL(`${dir}${name}.js`).href)
  const report = await module.run()
  const file = await saveReport(report)
  if (file) console.log(`wrote ${file}`)
}
