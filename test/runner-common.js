// Shared by the Node and the browser test runners.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TEST_DIR = join(ROOT, 'test')
/** Folders under test/ that hold helpers and fixtures, not test files. */
const NOT_TESTS = new Set(['fixtures', 'helpers'])

/** Every test file, sorted; with `browser: true` only those that can run in a browser. */
export async function findTestFiles ({ browser }) {
  const out = []
  async function walk (dir) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) { if (!NOT_TESTS.has(entry.name)) await walk(path) } else if (entry.name.endsWith('.test.js')) {
        if (browser && entry.name.endsWith('.node.test.js')) continue
        out.push(path)
      }
    }
  }
  await walk(TEST_DIR)
  return out.sort()
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g
export const stripAnsi = text => text.replace(ANSI, '')

/** uvu's closing block: "Total: N / Passed: N / Skipped: N / Duration: …". */
export function parseUvuSummary (output) {
  const text = stripAnsi(output)
  const total = text.match(/Total:\s+(\d+)/g)
  const passed = text.match(/Passed:\s+(\d+)/g)
  if (total === null || passed === null) return undefined
  const last = matches => Number(matches[matches.length - 1].match(/(\d+)/)[1])
  const skipped = text.match(/Skipped:\s+(\d+)/g)
  return { total: last(total), passed: last(passed), skipped: skipped === null ? 0 : last(skipped) }
}

/** Each runner leaves its counts here so test/run-all.js can print the closing total. */
export async function saveCounts (runtime, counts) {
  const { mkdir, writeFile } = await import('node:fs/promises')
  const dir = join(ROOT, 'build', 'out')
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, `test-counts-${runtime}.json`), JSON.stringify(counts))
}
