// AutoNAT v2 through a real NAT, in network namespaces this test builds and removes
// (helpers/topology.js, prefix w2a-<pid>-): AutoNAT servers in the public namespace (two
// wasp2p, two js-libp2p @libp2p/autonat-v2 2.0.15, each its own process), a host
// behind an ip6tables MASQUERADE router, and a public host.
//
// - wasp2p behind the NAT is told private by the wasp2p servers, and by the js ones:
//   its observed address (the router's, translated to its listen port) is found
//   unreachable and never announced;
// - wasp2p on the public host is told public by each kind: its listen address is
//   confirmed, and stays announced;
// - behind the NAT with a port forward (DNAT on the router), the observed address is
//   confirmed public and announced;
// - js-libp2p as the client: our server confirms a js node's public address (its
//   address manager marks it verified), and answers E_DIAL_ERROR for a js node whose
//   port a firewall closes (it stays unverified);
// - amplification protection across implementations: asking about an address on
//   another IP than the connection's costs dial data, which our client pays to a js
//   server and to ours, and a js client pays to ours.
//
// Skips with a loud message only where `ip netns` is unavailable, and fails then under CI=true.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startJsonLineChild } from '../helpers/json-line-child.js'
import {
  NS, PUBLIC_SERVER_IP, PUBLIC_HOST_IP, ROUTER_WAN_IP, PRIVATE_HOST_IP,
  buildTopology, removeTopology, netnsAvailable, inNamespace, PREFIX
} from './helpers/topology.js'

const WASP2P_PEER = fileURLToPath(new URL('./fixtures/wasp2p-autonat-peer.mjs', import.meta.url))
const JS_PEER = fileURLToPath(new URL('./fixtures/js-autonat-peer.mjs', import.meta.url))
const START_TIMEOUT_MS = 30_000
const COMMAND_TIMEOUT_MS = 60_000
/** How long a client may take to reach a verdict (two servers, a dial each). */
const VERDICT_TIMEOUT_MS = 40_000
const CONFIRMATIONS = 2
/** The port of the js node behind the firewall (fixed: the firewall rule names it). */
const FIREWALLED_PORT = 4411
/** The port the router forwards to the node behind it (fixed: the DNAT rule names it). */
const FORWARDED_PORT = 4412

const available = netnsAvailable() === true
if (!available) {
  console.error('\n*** netns.node.test.js: `ip netns` is unavailable here (needs root and iproute2): the AutoNAT NAT tests are SKIPPED ***\n')
  if (process.env.CI === 'true') {
    console.error('*** CI=true: failing instead of skipping ***')
    process.exit(1)
  }
}

const children = []
async function start (ns, script, args) {
  const child = await startJsonLineChild(script, args, { startTimeoutMs: START_TIMEOUT_MS, commandTimeoutMs: COMMAND_TIMEOUT_MS, wrap: inNamespace(ns) })
  children.push(child)
  return child
}
async function stopChild (child) {
  await child.stop()
  children.splice(children.indexOf(child), 1)
}
const listenOn = ip => `/ip6/${ip}/tcp/0`
const wasp2pServerOptions = JSON.stringify({ client: false })
const wasp2pClientOptions = JSON.stringify({ server: false, confirmations: CONFIRMATIONS })
const portOf = addr => addr.match(/\/tcp\/(\d+)/)[1]

const servers = { wasp2p: [], js: [] }

const t = available ? test : test.skip
if (available) {
  // Last resort if the process dies between before() and after(): no namespace outlives the test.
  process.on('exit', () => { try { removeTopology() } catch {} })
  test.before(async () => {
    try { buildTopology() } catch (err) { removeTopology(); throw err }
    for (let i = 0; i < 2; i++) servers.wasp2p.push(await start(NS.pub, WASP2P_PEER, [listenOn(PUBLIC_SERVER_IP), wasp2pServerOptions]))
    for (let i = 0; i < 2; i++) servers.js.push(await start(NS.pub, JS_PEER, [listenOn(PUBLIC_SERVER_IP)]))
  })
  test.after(async () => {
    try {
      await Promise.all(children.slice().map(async c => { await c.stop().catch(() => {}) }))
    } finally {
      removeTopology()
      const left = execFileSync('ip', ['netns', 'list']).toString().split('\n').filter(l => l.startsWith(PREFIX))
      if (left.length > 0) console.error(`namespaces left behind: ${left.join(', ')}`)
    }
  })
}

/** A wasp2p client in `ns` asks the two servers of `kind`; resolves with its status after the verdict. */
async function askServers (ns, ip, kind) {
  const client = await start(ns, WASP2P_PEER, [listenOn(ip), wasp2pClientOptions])
  try {
    for (const server of servers[kind]) {
      const answer = await client.command({ cmd: 'dial', addr: server.info.addrs[0] })
      assert.ok(answer.ok, answer.error)
    }
    const status = await client.command({ cmd: 'wait', timeoutMs: VERDICT_TIMEOUT_MS })
    assert.ok(status.ok, status.error)
    return { status, listenPort: portOf(client.info.addrs[0]) }
  } finally { await stopChild(client) }
}

t('behind the NAT, told private, a wasp2p node reserves on a relay by itself and announces its circuit address', async () => {
  // A relay in the public namespace (also an AutoNAT server); the client only dials it and the two wasp2p servers.
  const relay = await start(NS.pub, WASP2P_PEER, [listenOn(PUBLIC_SERVER_IP), wasp2pServerOptions, JSON.stringify({ relayServer: true })])
  const client = await start(NS.priv, WASP2P_PEER, [listenOn(PRIVATE_HOST_IP), wasp2pClientOptions, JSON.stringify({ circuit: true })])
  try {
    for (const server of [relay, ...servers.wasp2p]) {
      const answer = await client.command({ cmd: 'dial', addr: server.info.addrs[0] })
      assert.ok(answer.ok, answer.error)
    }
    const status = await client.command({ cmd: 'wait', timeoutMs: VERDICT_TIMEOUT_MS })
    assert.is(status.reachability, 'private', JSON.stringify(status))
    let circuit
    for (let i = 0; i < 100 && circuit === undefined; i++) {
      circuit = (await client.command({ cmd: 'status' })).multiaddrs.find(a => a.includes('/p2p-circuit'))
      if (circuit === undefined) await new Promise(resolve => setTimeout(resolve, 100))
    }
    assert.ok(circuit, 'a circuit address is announced once private')
    assert.ok(circuit.startsWith(`/ip6/${PUBLIC_SERVER_IP}/tcp/${portOf(relay.info.addrs[0])}/p2p/${relay.info.peerId}/p2p-circuit/p2p/${client.info.peerId}`), circuit)
  } finally { await stopChild(client); await stopChild(relay) }
})

for (const kind of ['wasp2p', 'js']) {
  t(`behind the NAT, ${kind} servers tell a wasp2p node private; its observed address is not announced`, async () => {
    const { status, listenPort } = await askServers(NS.priv, PRIVATE_HOST_IP, kind)
    const observed = `/ip6/${ROUTER_WAN_IP}/tcp/${listenPort}`
    assert.is(status.reachability, 'private', JSON.stringify(status))
    const entry = status.addresses.find(a => a.multiaddr === observed)
    assert.ok(entry !== undefined, `the observed address ${observed} is known: ${JSON.stringify(status.addresses)}`)
    assert.is(entry.source, 'observed')
    assert.is(entry.reachability, 'private')
    assert.is(entry.announced, false)
    assert.not.ok(status.multiaddrs.some(a => a.includes(ROUTER_WAN_IP)), 'nothing on the router\'s address is announced')
    assert.ok(status.multiaddrs.some(a => a.includes(PRIVATE_HOST_IP)), 'the LAN address stays announced for local use')
    const answers = status.checks.filter(c => c.addr === observed)
    const serverIds = new Set(servers[kind].map(s => s.info.peerId))
    assert.ok(answers.length >= CONFIRMATIONS)
    for (const c of answers) {
      assert.ok(serverIds.has(c.server), `answered by a ${kind} server`)
      assert.is(c.outcome, 'unreachable')
      assert.is(c.dialStatus, 100, 'E_DIAL_ERROR')
    }
    assert.equal(status.events, ['private'])
  })

  t(`on the public host, ${kind} servers tell a wasp2p node public; its listen address stays announced`, async () => {
    const { status, listenPort } = await askServers(NS.host, PUBLIC_HOST_IP, kind)
    const listen = `/ip6/${PUBLIC_HOST_IP}/tcp/${listenPort}`
    assert.is(status.reachability, 'public', JSON.stringify(status))
    const entry = status.addresses.find(a => a.multiaddr === listen)
    assert.is(entry.source, 'listen')
    assert.is(entry.reachability, 'public')
    assert.ok(entry.announced)
    const answers = status.checks.filter(c => c.addr === listen && c.outcome === 'reachable')
    assert.is(new Set(answers.map(c => c.server)).size, CONFIRMATIONS)
    assert.ok(answers.every(c => c.dialedBack), 'every OK came with our nonce')
    assert.equal(status.events, ['public'])
  })
}

t('behind the NAT with a port forward: the observed address (translated to the listen port) is confirmed public and announced', async () => {
  const rule = ['-i', 'wan0', '-p', 'tcp', '--dport', String(FORWARDED_PORT), '-j', 'DNAT', '--to-destination', `[${PRIVATE_HOST_IP}]:${FORWARDED_PORT}`]
  execFileSync('ip', ['netns', 'exec', NS.router, 'ip6tables', '-t', 'nat', '-A', 'PREROUTING', ...rule])
  const client = await start(NS.priv, WASP2P_PEER, [`/ip6/${PRIVATE_HOST_IP}/tcp/${FORWARDED_PORT}`, wasp2pClientOptions])
  try {
    for (const server of servers.wasp2p) assert.ok((await client.command({ cmd: 'dial', addr: server.info.addrs[0] })).ok)
    const status = await client.command({ cmd: 'wait', timeoutMs: VERDICT_TIMEOUT_MS })
    const observed = `/ip6/${ROUTER_WAN_IP}/tcp/${FORWARDED_PORT}`
    assert.is(status.reachability, 'public', JSON.stringify(status))
    const entry = status.addresses.find(a => a.multiaddr === observed)
    assert.is(entry?.source, 'observed')
    assert.is(entry.reachability, 'public')
    assert.ok(entry.announced, 'confirmed by AutoNAT, announced before OBSERVED_ADDR_CONFIRMATIONS peers reported it')
    assert.ok(status.multiaddrs.some(a => a.startsWith(observed)), 'in getMultiaddrs()')
  } finally {
    await stopChild(client)
    execFileSync('ip', ['netns', 'exec', NS.router, 'ip6tables', '-t', 'nat', '-D', 'PREROUTING', ...rule])
  }
})

t('js-libp2p as the client: a wasp2p server confirms its public address (verified in its address manager)', async () => {
  const js = await start(NS.host, JS_PEER, [listenOn(PUBLIC_HOST_IP)])
  try {
    const listen = js.info.addrs[0].replace(/\/p2p\/.*$/, '')
    const before = await js.command({ cmd: 'addresses' })
    assert.is(before.addresses.find(a => a.multiaddr === listen)?.verified, false, 'unverified before')
    const statsBefore = (await servers.wasp2p[0].command({ cmd: 'status' })).serverStats
    assert.ok((await js.command({ cmd: 'dial', addr: servers.wasp2p[0].info.addrs[0] })).ok)
    const deadline = Date.now() + VERDICT_TIMEOUT_MS
    let verified = false
    while (!verified && Date.now() < deadline) {
      verified = (await js.command({ cmd: 'addresses' })).addresses.find(a => a.multiaddr === listen)?.verified === true
      if (!verified) await new Promise(resolve => setTimeout(resolve, 200))
    }
    assert.ok(verified, 'js-libp2p took our server\'s dial-back as proof')
    const statsAfter = (await servers.wasp2p[0].command({ cmd: 'status' })).serverStats
    assert.is(statsAfter.dialed, statsBefore.dialed + 1)
  } finally { await stopChild(js) }
})

t('js-libp2p as the client behind a firewall: a wasp2p server answers E_DIAL_ERROR; the address stays unverified', async () => {
  const rule = ['-p', 'tcp', '--dport', String(FIREWALLED_PORT), '--syn', '-j', 'REJECT', '--reject-with', 'tcp-reset']
  execFileSync('ip', ['netns', 'exec', NS.host, 'ip6tables', '-A', 'INPUT', ...rule])
  const js = await start(NS.host, JS_PEER, [`/ip6/${PUBLIC_HOST_IP}/tcp/${FIREWALLED_PORT}`])
  try {
    const listen = `/ip6/${PUBLIC_HOST_IP}/tcp/${FIREWALLED_PORT}`
    const statsBefore = (await servers.wasp2p[1].command({ cmd: 'status' })).serverStats
    assert.ok((await js.command({ cmd: 'dial', addr: servers.wasp2p[1].info.addrs[0] })).ok)
    const deadline = Date.now() + VERDICT_TIMEOUT_MS
    let stats = statsBefore
    while (stats.dialErrors === statsBefore.dialErrors && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 200))
      stats = (await servers.wasp2p[1].command({ cmd: 'status' })).serverStats
    }
    assert.is(stats.dialErrors, statsBefore.dialErrors + 1, 'our server could not dial it back')
    assert.is(stats.dialed, statsBefore.dialed)
    const after = await js.command({ cmd: 'addresses' })
    assert.is(after.addresses.find(a => a.multiaddr === listen)?.verified, false)
  } finally {
    await stopChild(js)
    execFileSync('ip', ['netns', 'exec', NS.host, 'ip6tables', '-D', 'INPUT', ...rule])
  }
})

t('amplification protection across implementations: another IP than the connection\'s costs dial data (paid by wasp2p to js and wasp2p, by js to wasp2p)', async () => {
  // The public host gets a second address, deprecated (preferred_lft 0) so the kernel never picks it as a
  // source: the client connects from the first and asks about its listener on the second.
  const second = '3fff:1::21'
  execFileSync('ip', ['netns', 'exec', NS.host, 'ip', 'addr', 'add', `${second}/64`, 'dev', 'eth0', 'nodad', 'preferred_lft', '0'])
  const client = await start(NS.host, WASP2P_PEER, [listenOn(second), JSON.stringify({ server: false, client: false })])
  try {
    for (const kind of ['js', 'wasp2p']) {
      const server = servers[kind][0]
      const answer = await client.command({ cmd: 'check', addr: server.info.addrs[0] })
      assert.ok(answer.ok, answer.error)
      assert.is(answer.check.outcome, 'reachable', JSON.stringify(answer))
      assert.ok(answer.check.dialDataBytes >= 30_000 && answer.check.dialDataBytes <= 100_000, `${kind}: ${answer.check.dialDataBytes} bytes of dial data`)
    }
  } finally { await stopChild(client) }
  // And the other way: a js-libp2p client on the second address pays our server's dial data.
  const js = await start(NS.host, JS_PEER, [listenOn(second)])
  try {
    const listen = js.info.addrs[0].replace(/\/p2p\/.*$/, '')
    const server = servers.wasp2p[0]
    const before = (await server.command({ cmd: 'status' })).serverStats
    assert.ok((await js.command({ cmd: 'dial', addr: server.info.addrs[0] })).ok)
    const deadline = Date.now() + VERDICT_TIMEOUT_MS
    let verified = false
    while (!verified && Date.now() < deadline) {
      verified = (await js.command({ cmd: 'addresses' })).addresses.find(a => a.multiaddr === listen)?.verified === true
      if (!verified) await new Promise(resolve => setTimeout(resolve, 200))
    }
    assert.ok(verified, 'js-libp2p paid the dial data and was dialed back')
    const after = (await server.command({ cmd: 'status' })).serverStats
    assert.is(after.dialDataRequested, before.dialDataRequested + 1, 'our server asked it for dial data')
    assert.is(after.dialed, before.dialed + 1)
  } finally { await stopChild(js) }
})

test.run()
