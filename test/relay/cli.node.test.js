// `wasp2p start --relay-server` and `wasp2p start --relay <multiaddr>`, as
// processes: one CLI node relays, another listens through it, and a wasp2p
// node dials the second through the first's circuit address and echoes.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ECHO_PROTOCOL } from '../../dist/index.js'
import { circuitRelayTransport } from '../../dist/relay/index.js'
import { startCli, runCli } from '../helpers/cli.js'
import { startRelayNode } from './helpers/relay-node.js'
import { patternBytes, equalBytes, readAll, withTimeout } from '../helpers/bytes.js'

const test = suite('wasp2p start --relay-server / --relay')

test('a CLI relay, a CLI node listening through it, dialed through the circuit', async () => {
  const relay = await startCli(['--no-demo', '--no-mdns', '--relay-server'])
  let behind
  let dialer
  try {
    assert.match(relay.output(), '/libp2p/circuit/relay/0.2.0/hop')
    behind = await startCli(['--no-demo', '--no-mdns', '--relay', relay.tcpAddr])
    const circuit = behind.addrs.find(a => a.includes('/p2p-circuit'))
    assert.is(circuit, `${relay.tcpAddr}/p2p-circuit/p2p/${behind.peerId}`)
    dialer = await startRelayNode({ services: { circuit: circuitRelayTransport() } })
    const connection = await withTimeout(dialer.dial(circuit), 20_000, 'relayed dial')
    assert.ok(connection.limited, 'the CLI relay applies its default limits')
    const stream = await connection.newStream(ECHO_PROTOCOL)
    const data = patternBytes(10_000, 9)
    const back = readAll(stream)
    await stream.write(data)
    await stream.closeWrite()
    assert.ok(equalBytes(await withTimeout(back, 20_000, 'echo'), data))
  } finally {
    await dialer?.stop()
    if (behind !== undefined) assert.is((await behind.stop()).code, 0)
    assert.is((await relay.stop()).code, 0)
  }
})

test('--help lists the relay options', async () => {
  const { code, stdout } = await runCli(['start', '--help'])
  assert.is(code, 0)
  assert.match(stdout, '--relay-server')
  assert.match(stdout, '--relay MULTIADDR')
})

test.run()
