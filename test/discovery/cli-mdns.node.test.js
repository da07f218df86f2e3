// `wasp2p start` runs mDNS by default (on the interfaces it listens on: loopback for the
// default 127.0.0.1 listeners) and dials what it finds; `--no-mdns` turns it off. The two
// CLI nodes run inside a network namespace of the test's own, so their loopback multicast
// is not the host's. Skips loudly without `ip netns` (fails under CI=true).
import { test } from 'uvu'
import { waitFor } from '../helpers/wait.js'
import * as assert from 'uvu/assert'
import { startCli } from '../helpers/cli.js'
import { makeLan, skipWithoutNetns } from './helpers/netns.js'


if (!skipWithoutNetns('the wasp2p start mDNS test')) {
  test('two `wasp2p start` nodes find each other by mDNS and connect; --no-mdns stays silent', async () => {
    const lan = makeLan(1)
    const wrap = ['ip', 'netns', 'exec', lan.hosts[0].ns]
    const running = []
    try {
      const a = await startCli(['--no-demo', '--mdns'], { wrap })
      running.push(a)
      const b = await startCli(['--no-demo', '--mdns'], { wrap })
      running.push(b)
      const quiet = await startCli(['--no-demo'], { wrap }) // the helper adds --no-mdns
      running.push(quiet)
      assert.match(a.output(), /^mdns: discovering on 127\.0\.0\.1$/m)
      assert.match(quiet.output(), /^mdns: off$/m)
      await waitFor(() => a.output().includes(`discovered ${b.peerId} (mdns)`) && b.output().includes(`discovered ${a.peerId} (mdns)`), 'both to discover each other', 30_000)
      await waitFor(() => a.output().includes(`connection`) && new RegExp(`connection \\w+ ${b.peerId}`).test(a.output()), 'a connection between them', 30_000)
      assert.not.ok(a.output().includes(quiet.peerId), 'the --no-mdns node was not discovered')
      assert.not.ok(/discovered/.test(quiet.output()))
    } finally {
      await Promise.allSettled(running.map(r => r.stop()))
      lan.remove()
    }
  })
}

test.run()
