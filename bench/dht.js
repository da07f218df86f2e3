// Kademlia core: k-closest selection over a large key table on each backend of the XOR
// kernel (plus a plain sort as the obvious way to do it), and routing-table insert rate.
import { runBench, saveReport, randomBytes } from './harness.js'
import { useBackend } from '../dist/wasm/backend.js'
import { KeyTable, closestIndices } from '../dist/dht/xor/index.js'
import { RoutingTable } from '../dist/dht/routing-table.js'

const TABLE_KEYS = 100_000
const K = 20
const INSERTS = 2000

/** What one would write without a kernel: distances of all keys, sorted. */
function sortClosest (rows, target, count) {
  const n = rows.length / 32
  const order = Array.from({ length: n }, (_, i) => i)
  const cmp = (a, b) => {
    for (let j = 0; j < 32; j++) {
      const d = (rows[a * 32 + j] ^ target[j]) - (rows[b * 32 + j] ^ target[j])
      if (d !== 0) return d
    }
    return a - b
  }
  return order.sort(cmp).slice(0, count)
}

export async function run (options = {}) {
  const table = new KeyTable()
  table.pushMany(randomBytes(TABLE_KEYS * 32))
  const targets = Array.from({ length: 64 }, () => randomBytes(32))
  let t = 0
  const nextTarget = () => targets[t++ & 63]

  // Correctness guard: every backend must agree before anything is timed.
  const probe = targets[0]
  const answers = ['wasm-simd', 'wasm', 'js'].map(b => { useBackend(b); return closestIndices(table, probe, K).join() })
  if (new Set(answers).size !== 1) throw new Error('backends disagree on k-closest')
  useBackend('auto')

  const backendCase = (name, backend, fn) => ({ name, setup: () => useBackend(backend), fn })
  const groups = [{
    name: `k-closest (k=${K}) over ${TABLE_KEYS.toLocaleString('en')} keys`,
    baseline: 'js fallback',
    cases: [
      backendCase('wasm-simd', 'wasm-simd', () => closestIndices(table, nextTarget(), K)),
      backendCase('wasm (scalar)', 'wasm', () => closestIndices(table, nextTarget(), K)),
      backendCase('js fallback', 'js', () => closestIndices(table, nextTarget(), K)),
      { name: 'sort all (reference)', setup: () => useBackend('auto'), fn: () => sortClosest(table.rows, nextTarget(), K) }
    ]
  }]

  // Routing table: 2,000 contacts into a fresh table (full buckets → replacement caches).
  const self = randomBytes(32)
  const keys = randomBytes(INSERTS * 32)
  const contacts = Array.from({ length: INSERTS }, (_, i) => ({ id: keys.subarray(i * 32, i * 32 + 32), key: keys.subarray(i * 32, i * 32 + 32) }))
  const insertAll = async () => {
    const rt = new RoutingTable(self)
    for (const c of contacts) await rt.add(c)
    return rt
  }
  const filled = await insertAll()
  groups.push({
    name: `routing table: ${INSERTS} inserts into a fresh table (per table)`,
    cases: ['wasm-simd', 'js'].map(b => backendCase(`inserts (${b})`, b, insertAll))
  })
  groups.push({
    name: `routing table closestPeers(k=${K}) over ${filled.size} contacts`,
    baseline: 'js',
    cases: ['wasm-simd', 'js'].map(b => backendCase(b, b, () => filled.closestPeers(nextTarget(), K)))
  })

  const report = await runBench({ name: 'dht', groups, rounds: options.rounds ?? 9, sampleMs: 40, warmupMs: 100 })
  useBackend('auto')
  for (const g of report.results) {
    if (g.group.startsWith('routing table: ')) {
      for (const r of g.rows) console.log(`  ${r.name}: ${(INSERTS * 1e9 / r.nsPerOp).toFixed(0)} inserts/s`)
    }
  }
  return report
}

if (import.meta.url === `file://${globalThis.process?.argv?.[1]}`) {
  const report = await run()
  const file = await saveReport(report)
  if (file) console.log(`\nwrote ${file}`)
}
