// Runs a test file inside a network namespace of its own, so that traffic which
// cannot be kept on 127.0.0.1 stays inside the test: Chromium's WebRTC gathers ICE
// host candidates only from non-loopback interfaces, so in the machine's own
// namespace the peers would talk to its real interface address. Here the namespace
// has loopback and one veth interface with a test address (its peer end is inside too:
// nothing routes out),
// and every process of the test (the Node relay, the page server, Chromium, js
// peers) runs inside it. Needs root and iproute2.
import { execFileSync, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { namespacePrefix, netnsAvailable, sweepDeadNamespaces } from './netns.js'

/** Marks the re-executed child: it is already inside its namespace. */
const INSIDE = 'WASP2P_OWN_NETNS'
/** Every namespace this helper makes starts with this (leftovers of killed runs are swept, ./netns.js). */
export const OWN_NETNS_PREFIX = namespacePrefix('w')
/** The veth interface's address: a test range, on an interface nothing routes beyond. */
export const OWN_NETNS_ADDRESS = '10.203.0.1/24'

function ip (...args) {
  execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 })
}

/**
 * Call first thing in a test file: in the machine's namespace it re-runs the file inside
 * a fresh namespace, waits for it, removes the namespace and exits with the child's code
 * (it never returns); inside the namespace it returns and the file's tests run.
 */
export async function runInOwnNamespace (fileUrl) {
  if (process.env[INSIDE] !== undefined) return
  const file = fileURLToPath(fileUrl)
  const available = netnsAvailable()
  if (available !== true) {
    const line = '!'.repeat(78)
    console.error(`${line}\n!! ${file} needs a network namespace of its own (root, iproute2): ${available}\n!! Its tests did NOT run.\n${line}`)
    process.exit(process.env.CI === 'true' ? 1 : 0)
  }
  sweepDeadNamespaces()
  const name = `${OWN_NETNS_PREFIX}${Date.now() % 100000}`
  let code = 1
  try {
    ip('netns', 'add', name)
    ip('-n', name, 'link', 'set', 'lo', 'up')
    // A veth pair with both ends inside: an interface with an address and nowhere to go
    // (this kernel has no dummy interfaces).
    ip('-n', name, 'link', 'add', 'w2w0', 'type', 'veth', 'peer', 'name', 'w2w1')
    ip('-n', name, 'addr', 'add', OWN_NETNS_ADDRESS, 'dev', 'w2w0')
    ip('-n', name, 'link', 'set', 'w2w0', 'up')
    ip('-n', name, 'link', 'set', 'w2w1', 'up')
    // Chromium gathers ICE candidates from the interface of the default route: it points into
    // the pair, whose other end is inside the namespace too.
    ip('-n', name, 'route', 'add', 'default', 'dev', 'w2w0')
    const child = spawn('ip', ['netns', 'exec', name, process.execPath, file, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, [INSIDE]: name }
    })
    const forward = signal => { child.kill(signal) }
    process.on('SIGTERM', forward)
    process.on('SIGINT', forward)
    code = await new Promise(resolve => child.on('close', (status, signal) => { resolve(status ?? (signal !== null ? 1 : 0)) }))
  } finally {
    try { ip('netns', 'del', name) } catch { /* never made, or already gone */ }
  }
  process.exit(code)
}
