/**
 * `wasp2p ping <multiaddr>`: connects, then sends `--count` pings
 * (/ipfs/ping/1.0.0, ping spec) on one stream, `--interval` ms apart, and
 * prints each round-trip time like ping(8) does.
 */
import { PING_PROTOCOL, PING_TIMEOUT_MS } from '../../protocols/ping/constants.js'
import { PingSession } from '../../protocols/ping/client.js'
import { integerOption, parseArgs, type OptionSpecs } from '../args.js'
import { dialOrExit, openStreamOrExit, parseTarget, protocolFailure, withClientNode } from '../dial.js'
import { EXIT_CODE_HELP, EXIT_OK, UsageError } from '../exit-codes.js'
import type { Output } from '../output.js'

/** Pings sent when `--count` is not given. */
export const DEFAULT_PING_COUNT = 3
/** Pause between pings, ms (ping(8)'s default). */
export const DEFAULT_PING_INTERVAL_MS = 1000
/** Cap on `--count`, so a typo cannot start an effectively endless run. */
export const MAX_PING_COUNT = 100_000

export const PING_HELP = `Usage: wasp2p ping <multiaddr> [--count N] [--interval MS] [--timeout MS]

Connects to the peer at <multiaddr> (TCP or WebSocket; Noise, yamux) and measures
round trips over ${PING_PROTOCOL}, printing one line per ping.

Options:
  -c, --count N      pings to send (default ${DEFAULT_PING_COUNT})
  -i, --interval MS  pause between pings in ms (default ${DEFAULT_PING_INTERVAL_MS})
  --timeout MS       per-ping timeout in ms (default ${PING_TIMEOUT_MS})
  -h, --help         this text

Example:
  wasp2p ping /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...

${EXIT_CODE_HELP}`

const SPECS: OptionSpecs = {
  count: { type: 'string', short: 'c' },
  interval: { type: 'string', short: 'i' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
}

export async function pingCommand (argv: readonly string[], out: Output): Promise<number> {
  const { positionals, options } = parseArgs(argv, SPECS)
  if (options.help === true) { out.log(PING_HELP); return EXIT_OK }
  const count = integerOption(options, 'count', DEFAULT_PING_COUNT, { min: 1, max: MAX_PING_COUNT })
  const interval = integerOption(options, 'interval', DEFAULT_PING_INTERVAL_MS)
  const timeout = integerOption(options, 'timeout', PING_TIMEOUT_MS, { min: 1 })
  if (positionals.length > 1) throw new UsageError(`ping takes one multiaddr, got ${positionals.length}`)
  const addr = parseTarget(positionals[0])

  return await withClientNode(async node => {
    const connection = await dialOrExit(node, addr)
    const stream = await openStreamOrExit(connection, PING_PROTOCOL)
    const session = new PingSession(stream)
    const peer = connection.remotePeer.toString()
    out.log(`PING ${addr.toString()}`)
    const rtts: number[] = []
    for (let seq = 1; seq <= count; seq++) {
      if (seq > 1 && interval > 0) await new Promise(resolve => setTimeout(resolve, interval))
      let rtt: number
      try {
        rtt = await session.ping({ timeout })
      } catch (err) {
        throw protocolFailure(err, connection, PING_PROTOCOL, `ping ${seq} to ${peer}`)
      }
      rtts.push(rtt)
      out.log(`pong from ${peer}: seq=${seq} time=${rtt.toFixed(3)} ms`)
    }
    await session.close()
    const min = Math.min(...rtts)
    const max = Math.max(...rtts)
    const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length
    out.log(`--- ${count} ping${count === 1 ? '' : 's'}: rtt min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)} ms`)
    return EXIT_OK
  })
}
