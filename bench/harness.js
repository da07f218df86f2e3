// The benchmark harness every bench/*.js file shares, in Node and in Chromium.
//
// A benchmark is a list of groups (one workload: "sha256 64 KiB"), each with
// cases (one implementation: "wasp2p wasm-simd", "node:crypto"). Cases of a
// group run interleaved, round after round, so that a noisy neighbour on this
// shared 2-core machine hurts every case alike; we report the median of the
// rounds, their min–max, and ratios measured in the same run.

/** Rounds per case; the median of these is reported. */
export const DEFAULT_ROUNDS = 11
/** Each timed sample runs the operation in a loop for at least this long. */
export const DEFAULT_SAMPLE_MS = 40
/** Untimed calls before calibration: lets the JIT and WASM tiers settle. */
export const DEFAULT_WARMUP_MS = 150

const now = () => performance.now()

/** Smallest iteration count whose loop runs for at least `sampleMs`. */
async function calibrate (fn, sampleMs) {
  let iterations = 1
  for (;;) {
    const started = now()
    for (let i = 0; i < iterations; i++) await fn()
    const elapsed = now() - started
    if (elapsed >= sampleMs || iterations >= 1 << 30) return iterations
    iterations = elapsed <= 0 ? iterations * 16 : Math.ceil(iterations * Math.min(16, 1.2 * sampleMs / elapsed))
  }
}

function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * Runs every group and returns their results.
 * @param {{ name: string, groups: Array<{ name: string, bytes?: number, baseline?: string,
 *   cases: Array<{ name: string, fn: () => unknown, setup?: () => unknown }> }>,
 *   rounds?: number, sampleMs?: number, warmupMs?: number, log?: (line: string) => void }} spec
 */
export async function runBench (spec) {
  const rounds = spec.rounds ?? DEFAULT_ROUNDS
  const sampleMs = spec.sampleMs ?? DEFAULT_SAMPLE_MS
  const warmupMs = spec.warmupMs ?? DEFAULT_WARMUP_MS
  const log = spec.log ?? (line => console.log(line))
  const results = []
  for (const group of spec.groups) {
    const cases = group.cases.map(c => ({ ...c, samples: [], iterations: 0 }))
    for (const c of cases) {
      await c.setup?.()
      const until = now() + warmupMs
      while (now() < until) await c.fn()
      c.iterations = await calibrate(c.fn, sampleMs)
    }
    for (let round = 0; round < rounds; round++) {
      for (const c of cases) {
        await c.setup?.()
        const started = now()
        for (let i = 0; i < c.iterations; i++) await c.fn()
        c.samples.push((now() - started) * 1e6 / c.iterations)
      }
    }
    const rows = cases.map(c => {
      const nsPerOp = median(c.samples)
      return {
        name: c.name,
        nsPerOp,
        minNs: Math.min(...c.samples),
        maxNs: Math.max(...c.samples),
        mbPerS: group.bytes ? group.bytes / nsPerOp * 1e3 : undefined,
        opsPerS: 1e9 / nsPerOp
      }
    })
    const baseline = rows.find(r => r.name === group.baseline) ?? rows[0]
    for (const row of rows) row.speedupVsBaseline = baseline.nsPerOp / row.nsPerOp
    const result = { group: group.name, bytes: group.bytes, baseline: baseline.name, rows }
    results.push(result)
    log(formatGroup(result))
  }
  return { name: spec.name, date: new Date().toISOString(), runtime: runtimeName(), rounds, results }
}

function runtimeName () {
  const g = globalThis
  if (g.process?.versions?.node) return `node ${g.process.versions.node}`
  return g.navigator?.userAgent ?? 'unknown'
}

function fmtNs (ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`
  return `${ns.toFixed(0)} ns`
}

/** One group as an aligned text table. */
export function formatGroup (result) {
  const header = ['implementation', 'median/op', 'min–max', result.bytes ? 'MB/s' : 'ops/s', `× ${result.baseline}`]
  const lines = result.rows.map(r => [
    r.name,
    fmtNs(r.nsPerOp),
    `${fmtNs(r.minNs)}–${fmtNs(r.maxNs)}`,
    r.mbPerS !== undefined ? r.mbPerS.toFixed(1) : r.opsPerS.toFixed(0),
    r.speedupVsBaseline.toFixed(2)
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)))
  const pad = row => row.map((cell, i) => i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])).join('  ')
  return [`\n${result.group}`, pad(header), ...lines.map(pad)].join('\n')
}

/** Markdown table of several groups (for the README). */
export function toMarkdown (report) {
  const out = []
  for (const g of report.results) {
    out.push(`| ${g.group} | median/op | ${g.bytes ? 'MB/s' : 'ops/s'} | × ${g.baseline} |`, '|---|---:|---:|---:|')
    for (const r of g.rows) out.push(`| ${r.name} | ${fmtNs(r.nsPerOp)} | ${r.mbPerS !== undefined ? r.mbPerS.toFixed(1) : r.opsPerS.toFixed(0)} | ${r.speedupVsBaseline.toFixed(2)} |`)
    out.push('')
  }
  return out.join('\n')
}

/** In Node with `--json` on the command line: writes bench/results/<name>.json. */
export async function saveReport (report) {
  const g = globalThis
  if (!g.process?.argv?.includes('--json')) return undefined
  const { mkdir, writeFile } = await import('node:fs/promises')
  const { fileURLToPath } = await import('node:url')
  const dir = fileURLToPath(new URL('./results/', import.meta.url))
  await mkdir(dir, { recursive: true })
  const file = `${dir}${report.name}.json`
  await writeFile(file, JSON.stringify(report, null, 2) + '\n')
  return file
}

/** Random bytes of any length (crypto.getRandomValues takes at most 65536 per call). */
export function randomBytes (length) {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)))
  return out
}
