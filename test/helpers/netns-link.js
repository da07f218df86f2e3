// Two network namespaces joined by one veth pair, for fault injection on a
// real link (Node only, needs root, iproute2, iptables and tc):
//
//   <name>a  10.199.0.1/24 dev <name>x ──veth── <name>y dev 10.199.0.2/24  <name>b
//
// `impair({ loss, delayMs, rate, blackhole })` impairs both directions:
// random loss and delay by `tc netem` where the kernel has it, otherwise loss
// by iptables' `statistic` match (delay then needs netem: `netemAvailable`);
// a slow, queueing link by `tc tbf`; a blackhole by iptables DROP of every
// packet arriving on either end (sent, never received, nothing reset).
// `restore()` removes all of it, `remove()` deletes both namespaces (which
// takes the veth pair with them). Names come from ./netns.js (process id and
// a counter, so parallel runs never collide); every namespace made is also
// removed on process exit, and leftovers of dead runs are swept.
import { addNamespace, inNs, namespacePrefix, sh, sweepDeadNamespaces } from './netns.js'

export { requireNetns } from './netns.js'
export const A_IP = '10.199.0.1'
export const B_IP = '10.199.0.2'

const made = new Set()
let counter = 0
let hooked = false

let netem
/** Whether this kernel has the netem qdisc (some VM kernels are built without it). */
export function netemAvailable () {
  if (netem !== undefined) return netem
  const probe = `${namespacePrefix('f')}probe`
  try {
    addNamespace(probe)
    inNs(probe, 'tc', 'qdisc', 'replace', 'dev', 'lo', 'root', 'netem', 'delay', '1ms')
    netem = true
  } catch {
    netem = false
  } finally {
    try { sh('ip', 'netns', 'del', probe) } catch { /* never made */ }
  }
  return netem
}

function removeAll () {
  for (const name of made) { try { sh('ip', 'netns', 'del', name) } catch { /* gone */ } }
  made.clear()
}

/** Builds the two namespaces and their link; see the module comment. */
export function createLink () {
  if (!hooked) {
    hooked = true
    sweepDeadNamespaces()
    process.on('exit', removeAll)
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { removeAll(); process.exit(1) })
  }
  const base = `${namespacePrefix('f')}${counter++}`
  const a = `${base}a`
  const b = `${base}b`
  // Interface names: at most 15 characters.
  const devA = `${base}x`.slice(-15)
  const devB = `${base}y`.slice(-15)
  try {
    for (const ns of [a, b]) {
      addNamespace(ns)
      made.add(ns)
    }
    sh('ip', 'link', 'add', devA, 'netns', a, 'type', 'veth', 'peer', 'name', devB, 'netns', b)
    inNs(a, 'ip', 'addr', 'add', `${A_IP}/24`, 'dev', devA)
    inNs(b, 'ip', 'addr', 'add', `${B_IP}/24`, 'dev', devB)
    inNs(a, 'ip', 'link', 'set', devA, 'up')
    inNs(b, 'ip', 'link', 'set', devB, 'up')
  } catch (err) {
    for (const ns of [a, b]) { try { sh('ip', 'netns', 'del', ns) } catch { /* never made */ } made.delete(ns) }
    throw err
  }
  return {
    a,
    b,
    /** The `wrap` for startJsonLineChild: run the child inside `ns`. */
    wrap: ns => ['ip', 'netns', 'exec', ns],
    /**
     * Impairs both directions: `loss` (percent of packets dropped), `delayMs`
     * (netem only), `rate` (a tbf rate such as '4mbit': a slow link whose queue
     * adds delay under load), `blackhole` (every packet dropped).
     */
    impair ({ loss, delayMs, rate, blackhole = false }) {
      const netem = netemAvailable()
      if (delayMs !== undefined && !netem) throw new Error('delay needs tc netem, which this kernel lacks')
      for (const [ns, dev] of [[a, devA], [b, devB]]) {
        if (blackhole) inNs(ns, 'iptables', '-I', 'INPUT', '-i', dev, '-j', 'DROP')
        if (netem && (loss !== undefined || delayMs !== undefined)) {
          inNs(ns, 'tc', 'qdisc', 'replace', 'dev', dev, 'root', 'netem',
            ...(delayMs !== undefined ? ['delay', `${delayMs}ms`] : []), ...(loss !== undefined ? ['loss', `${loss}%`] : []))
        } else if (loss !== undefined) {
          inNs(ns, 'iptables', '-I', 'INPUT', '-i', dev, '-m', 'statistic', '--mode', 'random', '--probability', String(loss / 100), '-j', 'DROP')
        }
        if (rate !== undefined && !(netem && (loss !== undefined || delayMs !== undefined))) {
          inNs(ns, 'tc', 'qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', rate, 'burst', '32kbit', 'latency', '400ms')
        }
      }
    },
    /** Back to a clean link. */
    restore () {
      for (const [ns, dev] of [[a, devA], [b, devB]]) {
        inNs(ns, 'iptables', '-F', 'INPUT')
        try { inNs(ns, 'tc', 'qdisc', 'del', 'dev', dev, 'root') } catch { /* none */ }
      }
    },
    remove () {
      for (const ns of [a, b]) { try { sh('ip', 'netns', 'del', ns) } catch { /* gone */ } made.delete(ns) }
    }
  }
}
