// `wasp2p start --key FILE --datastore DIR` across restarts: the first run creates the
// key (mode 0600), a peer that connected to it is remembered in the LevelDB datastore, and
// a second process with the same key and directory has the same peer id and dials that
// peer again by itself. A key file others can read stops the start with a named error.
import { test } from 'uvu'
import { waitFor } from '../helpers/wait.js'
import * as assert from 'uvu/assert'
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNode } from '../../dist/index.js'
import { runCli, startCli } from '../helpers/cli.js'


const dir = await mkdtemp(join(tmpdir(), 'wasp2p-restart-'))
const keyFile = join(dir, 'identity.key')
const datastore = join(dir, 'peers')
const args = ['--no-demo', '--key', keyFile, '--datastore', datastore]

test('same key, same datastore: same peer id, and the known peer is dialed again', async () => {
  const friend = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  let cli
  try {
    cli = await startCli(args)
    assert.match(cli.output(), /identity: .*identity\.key \(created\)/)
    assert.match(cli.output(), /datastore: .* \(0 known peers\)/)
    assert.is((await stat(keyFile)).mode & 0o777, 0o600)
    const firstId = cli.peerId
    await friend.dial(cli.tcpAddr)
    await waitFor(() => cli.output().includes(`identified ${friend.peerId.toString()}`), 'the CLI node to identify the friend', 20_000)
    assert.is((await cli.stop()).code, 0)
    await waitFor(() => friend.getConnections().length === 0, 'the friend to see the CLI node go', 20_000)

    const inbound = new Promise(resolve => friend.addEventListener('connection:open', e => { if (e.detail.direction === 'inbound') resolve(e.detail) }))
    cli = await startCli(args)
    assert.is(cli.peerId, firstId, 'the peer id survived the restart')
    assert.match(cli.output(), /identity: .* \(loaded\)/)
    assert.match(cli.output(), /datastore: .* \(1 known peers\)/)
    let timer
    const output = cli.output
    const connection = await Promise.race([inbound, new Promise((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no reconnect:\n${output()}`)), 20_000) })])
    clearTimeout(timer)
    assert.is(connection.remotePeer.toString(), firstId, 'the restarted node dialed the friend')
    await waitFor(() => cli.output().includes('reconnected to 1 of 1 known peers'), 'the reconnect line', 20_000)
    assert.is((await cli.stop()).code, 0)
    cli = undefined
  } finally {
    await cli?.stop()
    await friend.stop()
  }
})

test('a key file group or others can read is refused', async () => {
  await chmod(keyFile, 0o644)
  const { code, stderr } = await runCli(['start', '--port-tcp', '0', '--port-ws', '0', '--no-demo', '--no-mdns', '--key', keyFile])
  assert.is(code, 1)
  assert.match(stderr, /InsecureKeyFileError|chmod 600/)
})

test.after(async () => { await rm(dir, { recursive: true, force: true }) })
test.run()
