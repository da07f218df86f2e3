#!/usr/bin/env node
// `npm run bench:browser -- [name ...]`: runs bench/<name>.js in a module Worker of headless
// Chromium (the same harness as in Node) and prints its tables here. Benchmarks whose
// competitors exist only in Node skip those cases in the browser.
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { WORKER_PAGE, launchChromium, preludePlugin, requireChromium, runPage, serveDirectory } from '../test/helpers/browser.js'

/** A benchmark that has not finished after this long is abandoned. */
export const BENCH_TIMEOUT_MS = 600_000
const DONE = '__bench_done__'
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const OUT = join(ROOT, 'build', 'out', 'browser-bench')
requireChromium('the browser benchmark')

const names = process.argv.slice(2).filter(a => !a.startsWith('--'))
if (names.length === 0) names.push('kernels')
await rm(OUT, { recursive: true, force: true })
await mkdir(OUT, { recursive: true })
for (const name of names) {
  await esbuild.build({
    stdin: { contents: `import './prelude.js'\nimport { run } from ${JSON.stringify(join(ROOT, 'bench', `${name}.js`))}\nrun().then(() => console.log(${JSON.stringify(DONE)}), e => console.error('fatal: ' + (e && e.stack || e)) || console.log(${JSON.stringify(DONE)}))\n`, resolveDir: OUT, sourcefile: `${name}-entry.js` },
    outfile: join(OUT, `${name}.js`),
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'error', plugins: [preludePlugin],
    // Node-only paths (saving --json results) are dynamic imports never reached in the browser.
    external: ['node:*']
  })
}
const server = await serveDirectory(OUT, WORKER_PAGE)
const browser = await launchChromium()
let failed = false
try {
  for (const name of names) {
    console.log(`\n=== [chromium ${browser.version()}] bench/${name}.js ===`)
    const r = await runPage(browser, `${server.base}/?file=${name}.js`, out => out.includes(DONE), BENCH_TIMEOUT_MS, { newlines: true })
    console.log(r.output.replace(`${DONE}\n`, '').trimEnd())
    if (r.fatal || r.output.includes('fatal: ')) { failed = true; console.log(r.fatal) }
  }
} finally {
  await browser.close()
  server.close()
}
process.exitCode = failed ? 1 : 0
