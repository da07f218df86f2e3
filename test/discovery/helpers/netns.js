// Network namespaces for the mDNS tests (Node, root only): a small LAN of namespaces
// joined by a bridge that lives in a namespace of its own, so no packet touches the
// host's interfaces. Names come from ../../helpers/netns.js (`w2m-<pid>-`); at
// start, leftovers of dead processes are removed, and `remove()` (call it in finally)
// deletes everything the LAN made (deleting a namespace deletes its interfaces).
import { execFileSync } from 'node:child_process'
import { namespacePrefix, requireNetns, sweepDeadNamespaces } from '../../helpers/netns.js'

/** Subnet of the LAN: 10.77.<lan>.0/24, hosts .1, .2, ... */
const SUBNET = '10.77'

function ip (...args) {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Prints the loud skip, or fails under CI=true. Returns true when the test must be skipped. */
export const skipWithoutNetns = what => !requireNetns(what)

let lans = 0

/**
 * A LAN of `hosts` namespaces on one bridge, multicast on and routed to the veth:
 * { hosts: [{ ns, ip }], run(ns, cmd...) , remove() }.
 */
export function makeLan (hosts) {
  sweepDeadNamespaces()
  const lan = lans++
  const base = `${namespacePrefix('m')}${lan}`
  const made = []
  const remove = () => {
    for (const ns of made.reverse()) { try { ip('netns', 'del', ns) } catch { /* gone */ } }
    made.length = 0
  }
  try {
    const sw = `${base}-sw`
    ip('netns', 'add', sw); made.push(sw)
    ip('-n', sw, 'link', 'add', 'br0', 'type', 'bridge')
    ip('-n', sw, 'link', 'set', 'br0', 'up')
    const out = []
    for (let i = 0; i < hosts; i++) {
      const ns = `${base}-h${i}`
      const address = `${SUBNET}.${lan % 250}.${i + 1}`
      ip('netns', 'add', ns); made.push(ns)
      ip('link', 'add', 'eth0', 'netns', ns, 'type', 'veth', 'peer', 'name', `p${i}`, 'netns', sw)
      ip('-n', sw, 'link', 'set', `p${i}`, 'master', 'br0')
      ip('-n', sw, 'link', 'set', `p${i}`, 'up')
      ip('-n', ns, 'link', 'set', 'lo', 'up')
      ip('-n', ns, 'link', 'set', 'eth0', 'multicast', 'on')
      ip('-n', ns, 'link', 'set', 'eth0', 'up')
      ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0')
      // Multicast (224.0.0.0/4) goes out of the LAN interface; there is no default route at all.
      ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', 'eth0')
      out.push({ ns, ip: address })
    }
    return { hosts: out, remove }
  } catch (err) {
    remove()
    throw err
  }
}
