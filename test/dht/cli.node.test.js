// `wasp2p dht …` (src/cli/commands/dht.ts) as a user runs it: a child process against a
// small wasp2p DHT on loopback.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startSwarm, stopAll } from './helpers/swarm.js'

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))
const CLI_TIMEOUT_MS = 30_000

function cli (...args) {
  return new Promise(resolve => {
    execFile(process.execPath, [CLI, 'dht', ...args], { timeout: CLI_TIMEOUT_MS }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : err.code, stdout: stdout.trim(), stderr })
    })
  })
}

let nodes = []
let boot
test.before(async () => {
  nodes = await startSwarm(6)
  boot = nodes[0].getMultiaddrs()[0].toString()
})
test.after(async () => { await stopAll(nodes) })

test('put then get a /test/ value through the CLI', async () => {
  const put = await cli('put', '/test/cli', 'hello from the cli', '--accept', 'test', '-b', boot)
  assert.is(put.code, 0, put.stderr)
  assert.equal(new TextDecoder().decode(nodes[3].dht.kad.records.get(new TextEncoder().encode('/test/cli'))?.value), 'hello from the cli')
  const get = await cli('get', '/test/cli', '--accept', 'test', '-b', boot)
  assert.is(get.code, 0, get.stderr)
  assert.is(get.stdout, 'hello from the cli')
})

test('find-peer prints the peer\'s listen address', async () => {
  const target = nodes[4]
  const found = await cli('find-peer', target.peerId.toString(), '-b', boot)
  assert.is(found.code, 0, found.stderr)
  assert.ok(found.stdout.split('\n').includes(target.getMultiaddrs()[0].toString().replace(/\/p2p\/.*$/, '')), found.stdout)
})

test('a usage error exits 2; a value nobody has exits 1', async () => {
  assert.is((await cli('get', '-b', boot)).code, 2)
  assert.is((await cli('get', '/test/nothing-here', '--accept', 'test', '-b', boot)).code, 1)
})

test.run()
