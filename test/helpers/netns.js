// What every network-namespace test shares (Node only; root, iproute2,
// iptables): the availability check with its loud skip (a failure under
// CI=true), names that are unique per process, and removal of what a test
// made, leftovers of killed runs included. The topologies built on it:
// netns-link.js (two namespaces on one impairable veth, fault injection),
// ../relay/helpers/netns.js (two hosts behind NAT routers and a relay),
// ../autonat/helpers/topology.js (one NAT, IPv6), ../discovery/helpers/netns.js
// (a bridged LAN for mDNS), own-namespace.js (a whole test file inside one).
//
// Every name is `w2<tag>-<pid>-<rest>`: parallel runs (the test runner's two
// lanes, several checkouts on one machine) never touch each other's
// namespaces, and a namespace whose process is gone is swept by the next run.
import { execFileSync } from 'node:child_process'

/** One `ip` / `iptables` / `tc` call may take at most this long. */
const COMMAND_TIMEOUT_MS = 10_000
const OWNED_NAME = /^w2([a-z]+)-(\d+)-/

/** Runs a command, returns its stdout; throws with its stderr on failure. */
export function sh (...argv) {
  return execFileSync(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: COMMAND_TIMEOUT_MS }).toString()
}

/** The `wrap` for startJsonLineChild: run the child inside `ns`. */
export const inNamespace = ns => ['ip', 'netns', 'exec', ns]

/** Runs a command inside namespace `ns`. */
export const inNs = (ns, ...argv) => sh('ip', 'netns', 'exec', ns, ...argv)

/** The prefix of this process's namespaces for one kind of test (`tag`: lowercase letters). */
export const namespacePrefix = tag => `w2${tag}-${process.pid}-`

const isAlive = pid => {
  try { process.kill(pid, 0); return true } catch (err) { return err.code === 'EPERM' }
}

const namespaceNames = () => sh('ip', 'netns', 'list').split('\n').map(l => l.split(' ')[0]).filter(Boolean)

/** Deletes namespaces named by this scheme whose creating process is gone. */
export function sweepDeadNamespaces () {
  for (const name of namespaceNames()) {
    const match = OWNED_NAME.exec(name)
    if (match !== null && !isAlive(Number(match[2]))) { try { sh('ip', 'netns', 'del', name) } catch { /* gone */ } }
  }
}

/** Deletes every namespace whose name starts with `prefix` (their interfaces go with them); returns their names. */
export function removeNamespaces (prefix) {
  const names = namespaceNames().filter(n => n.startsWith(prefix))
  for (const name of names) { try { sh('ip', 'netns', 'del', name) } catch { /* already gone */ } }
  return names
}

/** Creates namespace `name` with its loopback up. */
export function addNamespace (name) {
  sh('ip', 'netns', 'add', name)
  inNs(name, 'ip', 'link', 'set', 'lo', 'up')
  return name
}

let availability
/** True when this process may create namespaces (root, iproute2, iptables, kernel support); otherwise the reason. */
export function netnsAvailable () {
  if (availability !== undefined) return availability
  try {
    if (process.getuid?.() !== 0) throw new Error('not root')
    sh('iptables', '--version')
    sweepDeadNamespaces()
    const probe = `${namespacePrefix('p')}probe`
    sh('ip', 'netns', 'add', probe)
    sh('ip', 'netns', 'del', probe)
    availability = true
  } catch (err) {
    availability = String(err.stderr || err.message).split('\n')[0].trim()
  }
  return availability
}

/**
 * Call at the top of a test file: true when namespaces are available;
 * otherwise prints a loud message and returns false (the caller skips), or
 * exits with failure under CI=true, where a skipped namespace test is a failure.
 */
export function requireNetns (what) {
  const available = netnsAvailable()
  if (available === true) return true
  const line = '!'.repeat(78)
  console.error(`${line}\n!! ${what} needs network namespaces (root, iproute2, iptables): ${available}\n!! Its tests did NOT run.\n${line}`)
  if (process.env.CI === 'true') process.exit(1)
  return false
}
