// Same-run A/B of two builds through a circuit relay (issue 12 aid; a tool,
// run directly: bench/run.js runs only bench/*.js): every
// peer and relay its own process, as in bench/relay.js; `A` is another built
// checkout (RELAY_AB_BASE, e.g. `git archive HEAD~1 | tar -x -C /tmp/base`,
// node_modules linked, `npm run build`), `B` this tree, `js` js-libp2p.
//   RELAY_AB_BASE=/tmp/base PAIRS=A/js,A/A,A/B ROUNDS=9 node bench/tools/relay-ab.js
// PAIRS lists peers/relay pairings; rounds run interleaved; each pairing is
// compared with the first (median ratio and per-round paired ratio), and each
// relay's user+sys time per echo is printed (meaningful when it serves one pairing).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startJsonLineChild } from '../../test/helpers/json-line-child.js'
const TREES = { A: process.env.RELAY_AB_BASE, B: fileURLToPath(new URL('../..', import.meta.url)) }
const ECHO = 8 * 1024 * 1024
const RELAY_DATA = 4 * 1024 * 1024 * 1024
const rounds = Number(process.env.ROUNDS ?? 9)
const pairs = (process.env.PAIRS ?? 'B/js,B/A,B/B').split(',').map(s => s.split('/'))
if (TREES.A === undefined && pairs.some(p => p.includes('A'))) throw new Error('set RELAY_AB_BASE to the other build')
const script = k => k === 'js' ? `${TREES.B}/test/relay/fixtures/js-relay-peer.mjs` : `${TREES[k]}/test/relay/fixtures/wasp2p-relay-peer.mjs`
const procs = []
const start = async (k, config) => { const p = await startJsonLineChild(script(k), [JSON.stringify(config)], { startTimeoutMs: 60_000, commandTimeoutMs: 120_000 }); procs.push(p); return p }
const median = a => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }
try {
  const relays = {}
  for (const [, r] of pairs) relays[r] ??= r === 'js' ? await start('js', { relayServer: { dataBytes: RELAY_DATA, durationMs: 3_600_000 } }) : await start(r, { listen: ['/ip4/127.0.0.1/tcp/0'], relayServer: { dataBytes: RELAY_DATA, durationSeconds: 3600 } })
  const dialers = {}
  const list = []
  for (const [p, r] of pairs) {
    dialers[p] ??= await start(p, p === 'js' ? {} : { listen: ['/ip4/127.0.0.1/tcp/0'] })
    const relayAddr = `${relays[r].info.addrs.find(a => a.includes('/tcp/') && !a.includes('/ws'))}/p2p-circuit`
    const listener = p === 'js' ? await start('js', { listenRelay: [relayAddr] }) : await start(p, { listen: ['/ip4/127.0.0.1/tcp/0', relayAddr] })
    const addrs = (await listener.command({ cmd: 'addrs' })).addrs
    list.push({ name: `${p} peers / ${r} relay`, dialer: dialers[p], circuit: addrs.find(a => a.includes(`/p2p/${relays[r].info.peerId}/p2p-circuit`) && !a.includes('/ws')), ms: [] })
  }
  const echo = async x => { const t = performance.now(); const a = await x.dialer.command({ cmd: 'echo', addr: x.circuit, bytes: ECHO, timeoutMs: 120_000 }); if (!a.ok || !a.match) throw new Error('echo failed'); return performance.now() - t }
  for (let i = 0; i < 2; i++) for (const x of list) await echo(x)
  const cpu = pid => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8'); const v = f.slice(f.lastIndexOf(')') + 2).split(' '); return (Number(v[11]) + Number(v[12])) * 10 }
  const relayCpu0 = Object.fromEntries(Object.entries(relays).map(([k, r]) => [k, cpu(r.pid)]))
  for (let i = 0; i < rounds; i++) for (const x of list) x.ms.push(await echo(x))
  for (const [k, r] of Object.entries(relays)) console.log(`relay ${k}: user+sys ${((cpu(r.pid) - relayCpu0[k]) / rounds).toFixed(0)} ms per echo (if it served one pairing)`)
  for (const x of list) console.log(`${x.name.padEnd(22)} median ${median(x.ms).toFixed(0).padStart(5)} ms  ${(2 * ECHO / median(x.ms) / 1e3).toFixed(1).padStart(6)} MB/s  [${x.ms.map(v => v.toFixed(0)).join(' ')}]`)
  const base = list[0]
  for (const x of list.slice(1)) console.log(`${x.name} vs ${base.name}: median ratio ${(median(base.ms) / median(x.ms)).toFixed(2)}×, paired per-round median ${median(x.ms.map((v, i) => base.ms[i] / v)).toFixed(2)}×`)
} finally { await Promise.allSettled(procs.map(p => p.stop())) }
