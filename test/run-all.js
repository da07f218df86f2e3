#!/usr/bin/env node
// `npm test` after the build and typecheck: the Node run, then the Chromium run, then one closing total.
import { spawnSync } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { ROOT } from './runner-common.js'

const runs = [['node', 'run-node.js'], ['chromium', 'run-browser.js']]
let passed = 0
let failed = 0
let status = 0
for (const [runtime, script] of runs) {
  const counts = join(ROOT, 'build', 'out', `test-counts-${runtime}.json`)
  await rm(counts, { force: true })
  const { status: code } = spawnSync(process.execPath, [join(ROOT, 'test', script), ...process.argv.slice(2)], { stdio: 'inherit' })
  if (code !== 0) status = 1
  try {
    const c = JSON.parse(await readFile(counts, 'utf8'))
    passed += c.passed; failed += c.failed
  } catch {
    if (code !== 0) failed += 1 // the runner stopped before counting (e.g. no Chromium under CI)
  }
}
console.log(`\ntotal: ${passed} passed, ${failed} failed`)
process.exitCode = status || (failed > 0 ? 1 : 0)
