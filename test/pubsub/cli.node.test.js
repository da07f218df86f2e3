// `wasp2p pubsub sub|pub` (src/cli/commands/pubsub.ts) as a user runs them: child processes
// against a `wasp2p start` node (which joins the demo chat topic and prints what it gets), and
// against a js-libp2p gossipsub node.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { CLI, runCli, startCli } from '../helpers/cli.js'
import { startJsonLineChild } from '../helpers/json-line-child.js'
import { waitFor } from './helpers.js'

const TOPIC = 'wasp2p-demo-chat'
const SWARM = fileURLToPath(new URL('./helpers/js-gossipsub-swarm.mjs', import.meta.url))

/** `wasp2p pubsub sub …` running; resolves its output and exit once it has exited. */
function sub (args) {
  const child = spawn(process.execPath, [CLI, 'pubsub', 'sub', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => { stdout += d })
  child.stderr.on('data', d => { stderr += d })
  const exited = new Promise(resolve => child.once('exit', code => resolve(code)))
  return { get stdout () { return stdout }, get stderr () { return stderr }, exited, kill: () => child.kill('SIGKILL') }
}

let server, js
test.before(async () => {
  server = await startCli(['--no-demo'])
  js = await startJsonLineChild(SWARM, ['1'], { startTimeoutMs: 60_000, commandTimeoutMs: 30_000 })
})
test.after(async () => {
  await server?.stop()
  await js?.stop()
})

test('sub prints what pub publishes through a `wasp2p start` node, which prints it too', async () => {
  const s = sub([TOPIC, '--peer', server.tcpAddr, '--count', '1'])
  try {
    await waitFor(() => s.stderr.includes('subscribed'), 'sub to subscribe', 20_000)
    await new Promise(resolve => setTimeout(resolve, 1500)) // its subscription reaches the server
    const pub = await runCli(['pubsub', 'pub', TOPIC, 'hello from the cli', '--peer', server.wsAddr])
    assert.is(pub.code, 0, pub.stderr)
    assert.match(pub.stdout, /published to 1 peer/)
    assert.is(await s.exited, 0, s.stderr)
    assert.match(s.stdout, /^12D3KooW\w+: hello from the cli$/m)
    await waitFor(() => server.output().includes('hello from the cli'), 'the server to print it', 5000)
  } finally { s.kill() }
})

test('sub and pub against js-libp2p gossipsub', async () => {
  const addr = js.info.peers[0].addrs.find(a => !a.includes('/ws'))
  await js.command({ cmd: 'subscribe', topic: 'cli-js' })
  const pub = await runCli(['pubsub', 'pub', 'cli-js', 'to js', '--peer', addr])
  assert.is(pub.code, 0, pub.stderr)
  await waitFor(async () => (await js.command({ cmd: 'received' })).messages.some(m => m.text === 'to js'), 'js-libp2p to get it', 10_000)
  const s = sub(['cli-js', '--peer', addr, '--count', '1'])
  try {
    await waitFor(async () => (await js.command({ cmd: 'subscribers', topic: 'cli-js' })).peers.length > 0, 'js-libp2p to see the subscriber', 20_000)
    await js.command({ cmd: 'publish', topic: 'cli-js', text: 'from js' })
    assert.is(await s.exited, 0, s.stderr)
    assert.match(s.stdout, new RegExp(`^${js.info.peers[0].peerId}: from js$`, 'm'))
  } finally { s.kill() }
})

test('usage errors exit 2; publishing where nobody subscribes exits 1', async () => {
  assert.is((await runCli(['pubsub', 'pub', TOPIC])).code, 2)
  assert.is((await runCli(['pubsub', 'wat', TOPIC, '-p', server.tcpAddr])).code, 2)
  const lonely = await runCli(['pubsub', 'pub', 'nobody-here', 'x', '--peer', server.tcpAddr, '--wait', '500'])
  assert.is(lonely.code, 1, lonely.stderr)
  assert.match(lonely.stderr, /no peer subscribed/)
})

test.run()
