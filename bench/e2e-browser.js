// The end-to-end figures from a browser: a headless Chromium page (a module worker)
// dials a Node peer over WebSocket (Noise + Yamux) and runs the workloads of
// bench/e2e-browser/workload.js — dial to ready, one-stream bulk, new stream +
// 1-byte echo — wasp2p against js-libp2p in the same browser, each against the
// same-implementation Node peer of bench/e2e (peer-wasp2p.js, peer-js.mjs, which
// listen on /ws too). Each client is bundled for the browser with esbuild the way a
// page would bundle it; each run gets a fresh page, and the rounds interleave the two
// implementations. `npm run bench -- e2e-browser [--quick] [--only=<word>]`; without Chromium the
// run says so loudly and records nothing (it fails under CI=true).
// The bulk row also gets its ceiling in the same rounds: the same page writes on a bare
// WebSocket to a Node sink that only counts (bench/e2e-browser/client-websocket.js).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { WORKER_PAGE, chromePath, launchChromium, preludePlugin, runPage, serveDirectory } from '../test/helpers/browser.js'
import { startWebSocketSink } from './e2e-browser/websocket-sink.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const OUT = join(ROOT, 'build', 'out', 'e2e-browser')
const IMPLS = {
  'js-libp2p': { client: join(ROOT, 'bench', 'e2e-browser', 'client-js.js'), peer: join(ROOT, 'bench', 'e2e', 'peer-js.mjs') },
  wasp2p: { client: join(ROOT, 'bench', 'e2e-browser', 'client-wasp2p.js'), peer: join(ROOT, 'bench', 'e2e', 'peer-wasp2p.js') }
}
/** The bare-WebSocket client of the bulk row's ceiling. */
const CEILING_CLIENT = join(ROOT, 'bench', 'e2e-browser', 'client-websocket.js')
const CEILING = 'WebSocket alone'
/** Rounds per scenario and implementation, interleaved; the median is reported. */
export const REPEATS = 3
/** Bytes of the bulk run, in MiB. */
export const BULK_MIB = 64
/** A page that has not reported after this long fails the run. */
export const PAGE_TIMEOUT_MS = 300_000
const MiB = 1024 * 1024

function median (values) {
  const s = [...values].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function startPeer (script) {
  const child = spawn(process.execPath, [script, 'server'], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  return {
    addrs: async () => JSON.parse((await lines.next()).value).addrs,
    stop: async () => { child.stdin.end('exit\n'); await new Promise(resolve => child.on('close', resolve)) }
  }
}

/** One worker bundle per (implementation, scenario): the entry runs that scenario once and prints its JSON line. */
async function bundle (name, client, scenario, addr, params) {
  const file = `${name}-${scenario}.js`
  const contents = [
    "import './prelude.js'",
    `import { createAdapter } from ${JSON.stringify(client)}`,
    `import { runScenario } from ${JSON.stringify(join(ROOT, 'bench', 'e2e-browser', 'workload.js'))}`,
    `runScenario(createAdapter, ${JSON.stringify(scenario)}, ${JSON.stringify(addr)}, ${JSON.stringify(params)}).catch(e => console.error('fatal: ' + (e && e.stack || e)))`
  ].join('\n')
  await esbuild.build({
    stdin: { contents, resolveDir: ROOT, sourcefile: file },
    outfile: join(OUT, file),
    absWorkingDir: ROOT,
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'error', plugins: [preludePlugin]
  })
  return file
}

export async function run (options = {}) {
  const quick = options.quick ?? process.argv.includes('--quick')
  const bulkMiB = options.bulkMiB ?? (quick ? 8 : BULK_MIB)
  if (!existsSync(chromePath())) {
    const line = '!'.repeat(78)
    console.error(`${line}\n!! NO CHROMIUM at ${chromePath()}: bench/e2e-browser.js did NOT run.\n${line}`)
    if (process.env.CI === 'true') throw new Error('no Chromium')
    return { name: 'e2e-browser', date: new Date().toISOString(), skipped: `no Chromium at ${chromePath()}` }
  }
  // As in bench/e2e.js: --only=<word> keeps the scenarios whose name or label contains it.
  const only = options.only ?? process.argv.find(a => a.startsWith('--only='))?.slice('--only='.length)
  const scenarios = [
    [`dial to ready over WebSocket (ms, median of ${quick ? 5 : 20})`, 'ready', { count: quick ? 5 : 20 }, r => r.medianMs, 'lower'],
    [`1 stream, ${bulkMiB} MiB one way (MB/s)`, 'bulk', { totalBytes: bulkMiB * MiB }, r => r.mbPerS, 'higher'],
    ['new stream + 1-byte echo, sequential (/s)', 'echoStreams', { count: quick ? 50 : 300 }, r => r.perSecond, 'higher'],
    ['new stream + 1-byte echo, 8 at once (/s)', 'echoStreams', { count: quick ? 100 : 600, concurrency: 8 }, r => r.perSecond, 'higher']
  ]
  if (only !== undefined) scenarios.splice(0, scenarios.length, ...scenarios.filter(([label, scenario]) => scenario.includes(only) || label.includes(only)))
  if (scenarios.length === 0) { console.log(`no browser scenario matches --only=${only}: nothing run, nothing recorded`); return undefined }
  await rm(OUT, { recursive: true, force: true })
  await mkdir(OUT, { recursive: true })
  const peers = {}
  const pages = {}
  const names = Object.keys(IMPLS)
  let server
  let sink
  let browser
  let version
  const table = []
  try {
    for (const name of names) {
      const peer = startPeer(IMPLS[name].peer)
      const addr = (await peer.addrs()).find(a => a.includes('/ws'))
      peers[name] = { peer, addr }
      if (addr === undefined) throw new Error(`${name}'s Node peer does not listen on /ws`)
    }
    for (const name of names) {
      for (const [, scenario, params] of scenarios) {
        pages[`${name}:${scenario}:${JSON.stringify(params)}`] = await bundle(name, IMPLS[name].client, scenario, peers[name].addr, params)
      }
    }
    sink = await startWebSocketSink()
    for (const [, scenario, params] of scenarios) {
      if (scenario === 'bulk') pages[`${CEILING}:${scenario}:${JSON.stringify(params)}`] = await bundle('websocket', CEILING_CLIENT, scenario, sink.url, params)
    }
    server = await serveDirectory(OUT, WORKER_PAGE)
    browser = await launchChromium()
    version = browser.version()
    console.log(`chromium ${version}; Node peers ${names.map(n => `${n} ${peers[n].addr}`).join(', ')}`)
    for (const [label, scenario, params, pick, better] of scenarios) {
      const runs = scenario === 'bulk' ? [...names, CEILING] : names
      const values = Object.fromEntries(runs.map(n => [n, []]))
      const failures = Object.fromEntries(runs.map(n => [n, []]))
      for (let i = 0; i < (quick ? 1 : REPEATS); i++) {
        for (const name of runs) {
          const file = pages[`${name}:${scenario}:${JSON.stringify(params)}`]
          const r = await runPage(browser, `${server.base}/?file=${file}`, out => out.includes('{"result"') || out.includes('fatal: '), PAGE_TIMEOUT_MS, { newlines: true })
          const line = r.output.split('\n').find(l => l.startsWith('{"result"'))
          // A failed round is recorded and left out of the median (js-libp2p's WebSocket
          // sometimes fails a 64 MiB bulk run with a bare error Event); the table says how many.
          if (line === undefined) { failures[name].push((r.fatal || r.output).trim().slice(0, 200)); console.log(`${name} ${scenario} round ${i + 1} failed: ${failures[name].at(-1)}`); continue }
          values[name].push(pick(JSON.parse(line).result))
        }
      }
      for (const name of runs) if (values[name].length === 0) throw new Error(`${name} ${scenario}: every round failed in Chromium: ${failures[name][0]}`)
      table.push({ label, better, values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, median(v)])), rounds: values, failures })
    }
  } finally {
    await browser?.close()
    server?.close()
    await sink?.close()
    for (const { peer } of Object.values(peers)) await peer.stop()
  }
  console.log(`\n${'scenario (Chromium page → Node peer, WebSocket)'.padEnd(52)}${names.map(n => n.padStart(12)).join('')}  wasp2p/js`)
  for (const row of table) {
    const ratio = (row.values.wasp2p / row.values['js-libp2p']).toFixed(2)
    const failed = names.filter(n => row.failures[n].length > 0).map(n => `${n} failed ${row.failures[n].length} round(s)`)
    console.log(`${row.label.padEnd(52)}${names.map(n => row.values[n].toFixed(1).padStart(12)).join('')}  ${ratio.padStart(9)} (${row.better} is better)${failed.length > 0 ? `; ${failed.join(', ')}` : ''}`)
    const ceiling = row.values[CEILING]
    if (ceiling !== undefined) {
      console.log(`${'… its ceiling: the same writes on a bare WebSocket'.padEnd(52)}${ceiling.toFixed(1).padStart(24)}  (2× js-libp2p would be ${(2 * row.values['js-libp2p']).toFixed(1)}; wasp2p is at ${(100 * row.values.wasp2p / ceiling).toFixed(0)}% of it)`)
    }
  }
  return { name: 'e2e-browser', date: new Date().toISOString(), runtime: `node ${process.versions.node}, chromium ${browser.version()}`, results: table }
}
