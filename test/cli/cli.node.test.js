// The `wasp2p` CLI end to end, as child processes: `start` prints its
// addresses; `ping` and `perf` against it (TCP and WebSockets) and `ping`
// against js-libp2p (a separate process) print RTTs and exit 0; bad input
// gives the documented exit codes; SIGINT/SIGTERM stop `start` and the
// process exits by itself.
import { createServer } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { runCli, startCli } from '../helpers/cli.js'
import { startJsPeer } from '../interop/fixtures/js-peer-process.js'

const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, BAD_MULTIADDR: 3, UNREACHABLE: 4, PROTOCOL_UNSUPPORTED: 5 }

function rtts (stdout) {
  return [...stdout.matchAll(/time=(\d+(?:\.\d+)?) ms/g)].map(m => Number(m[1]))
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort () {
  const server = createServer()
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise(resolve => server.close(resolve))
  return port
}

const test = suite('wasp2p CLI')
let node
let js

test.before(async () => {
  ;[node, js] = await Promise.all([startCli(['--no-demo']), startJsPeer()])
})

test.after(async () => {
  await node?.stop()
  await js?.stop()
})

test('start prints its peer id and a TCP and a WebSocket address with /p2p/', () => {
  assert.match(node.peerId, /^12D3KooW/)
  assert.ok(node.tcpAddr.startsWith('/ip4/127.0.0.1/tcp/'), node.output())
  assert.ok(node.wsAddr.includes('/ws/p2p/'), node.output())
  for (const a of node.addrs) assert.ok(a.endsWith(`/p2p/${node.peerId}`), a)
})

for (const transport of ['tcp', 'ws']) {
  test(`ping a wasp2p start node over ${transport}: one RTT per ping, exit 0`, async () => {
    const r = await runCli(['ping', transport === 'tcp' ? node.tcpAddr : node.wsAddr, '--count', '3', '--interval', '20'])
    assert.is(r.code, EXIT.OK, r.stderr)
    const times = rtts(r.stdout)
    assert.is(times.length, 3, r.stdout)
    for (const t of times) assert.ok(t > 0 && t < 10_000, `rtt ${t}`)
    assert.ok(r.stdout.includes(`pong from ${node.peerId}`), r.stdout)
  })
}

test('ping a js-libp2p node (separate process): prints an RTT, exit 0', async () => {
  for (const addr of [js.tcpAddr, js.wsAddr]) {
    const r = await runCli(['ping', addr, '--count', '2', '--interval', '20'])
    assert.is(r.code, EXIT.OK, `${addr}: ${r.stderr}`)
    const times = rtts(r.stdout)
    assert.is(times.length, 2, r.stdout)
    assert.ok(times.every(t => t > 0), r.stdout)
    assert.ok(r.stdout.includes(`pong from ${js.peerId}`), r.stdout)
  }
})

test('perf against a wasp2p start node: throughput both ways, exit 0', async () => {
  const r = await runCli(['perf', node.tcpAddr, '--upload', '1MiB', '--download', '512KiB'])
  assert.is(r.code, EXIT.OK, r.stderr)
  assert.match(r.stdout, /upload: +1\.00 MiB in \d+\.\d ms, \d+\.\d+ [KMG]iB\/s/)
  assert.match(r.stdout, /download: +512\.00 KiB in \d+\.\d ms, \d+\.\d+ [KMG]iB\/s/)
})

test('perf against js-libp2p, which has no /perf/1.0.0: protocol unsupported (5)', async () => {
  const r = await runCli(['perf', js.tcpAddr, '--download', '1000'])
  assert.is(r.code, EXIT.PROTOCOL_UNSUPPORTED, r.stdout + r.stderr)
  assert.match(r.stderr, /does not support \/perf\/1\.0\.0/)
})

test('bad multiaddr (3), no transport for it (3), missing argument (2), unknown option (2), bad size (2)', async () => {
  const cases = [
    [['ping', '/ip4/1.2.3/tcp/1'], EXIT.BAD_MULTIADDR, /bad multiaddr/],
    [['ping', 'not-a-multiaddr'], EXIT.BAD_MULTIADDR, /bad multiaddr/],
    [['ping', '/ip4/127.0.0.1/udp/1/quic-v1'], EXIT.BAD_MULTIADDR, /cannot dial/],
    [['ping'], EXIT.USAGE, /missing <multiaddr>/],
    [['ping', node.tcpAddr, '--cuont', '1'], EXIT.USAGE, /unknown option --cuont/],
    [['ping', node.tcpAddr, '--count', 'x'], EXIT.USAGE, /--count must be a whole number/],
    [['perf', node.tcpAddr, '--upload', '10 parsecs'], EXIT.USAGE, /cannot read/],
    [['frobnicate'], EXIT.USAGE, /unknown command/]
  ]
  for (const [args, code, message] of cases) {
    const r = await runCli(args)
    assert.is(r.code, code, `wasp2p ${args.join(' ')}: ${r.stderr}`)
    assert.match(r.stderr, message)
  }
})

test('start: a bad --listen address (3), a port in use for the node or the page (1), a bad port (2); each exits at once', async () => {
  const inUse = Number(/\/tcp\/(\d+)/.exec(node.tcpAddr)[1])
  const cases = [
    [['start', '--listen', '/ip4/127.0.0.1/tcp/x'], EXIT.BAD_MULTIADDR, /invalid multiaddr/i],
    [['start', '--listen', '/ip4/127.0.0.1/udp/0/quic-v1'], EXIT.BAD_MULTIADDR, /no configured transport/],
    [['start', '--port-tcp', String(inUse), '--port-ws', '0', '--no-demo'], EXIT.FAILURE, /cannot start the node/],
    [['start', '--port-tcp', '0', '--port-ws', '0', '--http-port', String(inUse)], EXIT.FAILURE, /demo page: cannot listen/],
    [['start', '--port-ws', '70000'], EXIT.USAGE, /between 0 and 65535/]
  ]
  for (const [args, code, message] of cases) {
    const r = await runCli(args)
    assert.is(r.code, code, `wasp2p ${args.join(' ')}: ${r.stdout} ${r.stderr}`)
    assert.match(r.stderr, message)
  }
})

test('unreachable peer (nothing listening): 4', async () => {
  const r = await runCli(['ping', `/ip4/127.0.0.1/tcp/${await closedPort()}`])
  assert.is(r.code, EXIT.UNREACHABLE, r.stderr)
  assert.match(r.stderr, /unreachable.*ConnectionRefusedError/)
})

test('wrong peer id in the address: the handshake fails, unreachable (4)', async () => {
  const wrong = node.tcpAddr.replace(node.peerId, js.peerId)
  const r = await runCli(['ping', wrong, '--count', '1'])
  assert.is(r.code, EXIT.UNREACHABLE, r.stderr)
})

test('--help for each command lists its options and the exit codes, exit 0', async () => {
  for (const [args, needle] of [[['--help'], 'Commands:'], [['ping', '--help'], '--count'], [['perf', '-h'], '--download'], [['help', 'start'], '--http-port']]) {
    const r = await runCli(args)
    assert.is(r.code, EXIT.OK, r.stderr)
    assert.ok(r.stdout.includes(needle), r.stdout)
    assert.ok(r.stdout.includes('Exit codes:'), r.stdout)
    assert.ok(r.stdout.includes('5  the peer does not support the protocol'), r.stdout)
  }
})

test.run()

const signals = suite('wasp2p start: signals')

for (const signal of ['SIGINT', 'SIGTERM']) {
  signals(`${signal} with a connection open: graceful stop, the process exits by itself with 0`, async () => {
    const started = await startCli()
    assert.ok(started.demoUrl?.startsWith('http://127.0.0.1:'), started.output())
    // Keep a connection open while the signal arrives.
    const pinging = runCli(['ping', started.tcpAddr, '--count', '20', '--interval', '100'])
    for (let i = 0; i < 100 && !started.output().includes('connection inbound'); i++) await new Promise(resolve => setTimeout(resolve, 100))
    assert.ok(started.output().includes('connection inbound'), started.output())
    const result = await started.stop(signal)
    assert.not.ok(result.hung, `did not exit after ${signal}:\n${started.output()}`)
    assert.is(result.code, 0, started.output())
    assert.ok(started.output().includes(`${signal}: stopping\n`), started.output())
    assert.ok(started.output().endsWith('stopped\n'), started.output())
    // Graceful: the open ping stream may finish or be cut at the close timeout;
    // either way the pinger ends by itself (runCli fails the test on a hang).
    const pinged = await pinging
    assert.ok(pinged.code === 0 || pinged.code === 1, `${pinged.code} ${pinged.stderr}`)
  })
}

signals.run()
