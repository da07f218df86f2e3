// Inputs that once crashed a parser, kept as regression vectors: one file per
// input, fuzz/regressions/<target>/<name>.hex, replayed by `npm run fuzz` and
// by test/fuzz/parsers.node.test.js.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { createHash } from 'node:crypto'

const ROOT = fileURLToPath(new URL('./regressions/', import.meta.url))

export async function loadVectors (targetName) {
  const dir = `${ROOT}${targetName}/`
  let files = []
  try { files = (await readdir(dir)).filter(f => f.endsWith('.hex')).sort() } catch { return [] }
  return await Promise.all(files.map(async f => ({ name: `${targetName}/${f}`, bytes: Uint8Array.from(Buffer.from((await readFile(dir + f, 'utf8')).trim(), 'hex')) })))
}

export async function saveVector (targetName, hex) {
  const dir = `${ROOT}${targetName}/`
  await mkdir(dir, { recursive: true })
  const name = createHash('sha256').update(hex).digest('hex').slice(0, 16)
  await writeFile(`${dir}${name}.hex`, `${hex}\n`)
  return `${dir}${name}.hex`
}
