/**
 * `wasp2p pubsub sub <topic>` / `wasp2p pubsub pub <topic> <message>`: gossipsub
 * (src/pubsub) from a short-lived node that dials `--peer`s, any libp2p node that
 * speaks /meshsub or /floodsub (a `wasp2p start` node, js-libp2p, go-libp2p).
 * `sub` prints one line per message, `<author>: <text>`, until Ctrl-C or `--count`;
 * `pub` waits until a peer is known to subscribe to the topic, publishes once and
 * says to how many peers it went.
 */
import { createNode } from '../../node/node.js'
import { gossipsub } from '../../pubsub/index.js'
import { integerOption, parseArgs, type OptionSpecs } from '../args.js'
import { describeError } from '../dial.js'
import { CliError, EXIT_CODE_HELP, EXIT_FAILURE, EXIT_OK, EXIT_UNREACHABLE, UsageError } from '../exit-codes.js'
import type { Output } from '../output.js'

/** How long `pub` waits for a subscriber of the topic to show up, ms (subscriptions arrive after the dial). */
export const DEFAULT_PUB_WAIT_MS = 10_000

export const PUBSUB_HELP = `Usage: wasp2p pubsub sub <topic> --peer <multiaddr>... [--count N]
       wasp2p pubsub pub <topic> <message> --peer <multiaddr>... [--wait MS]

  sub   join <topic> and print each message as "<author peer id>: <text>"
        until Ctrl-C (or after N messages with --count)
  pub   publish <message> (UTF-8 text) on <topic> once a peer subscribed to it is known

Options:
  -p, --peer MULTIADDR  a peer to connect to, with /p2p/<id> (repeatable, required)
  --count N             sub: exit after N messages
  --wait MS             pub: how long to wait for a subscriber (default ${DEFAULT_PUB_WAIT_MS})
  --no-sign             StrictNoSign instead of StrictSign (the network must agree)
  -h, --help            this text

Example:
  wasp2p pubsub sub ${'wasp2p-demo-chat'} -p /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...

${EXIT_CODE_HELP}`

const SPECS: OptionSpecs = {
  peer: { type: 'strings', short: 'p' },
  count: { type: 'string' },
  wait: { type: 'string' },
  sign: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
}

function stopSignal (): Promise<void> {
  return new Promise(resolve => {
    const on = (): void => { process.off('SIGINT', on); process.off('SIGTERM', on); resolve() }
    process.on('SIGINT', on)
    process.on('SIGTERM', on)
  })
}

export async function pubsubCommand (argv: readonly string[], out: Output): Promise<number> {
  const { positionals, options } = parseArgs(argv, SPECS)
  if (options.help === true || positionals.length === 0) { out.log(PUBSUB_HELP); return options.help === true ? EXIT_OK : 2 }
  const [op, topic, ...rest] = positionals as [string, string | undefined, ...string[]]
  if (op !== 'sub' && op !== 'pub') throw new UsageError(`unknown pubsub operation "${op}"`)
  if (topic === undefined || topic === '') throw new UsageError(`pubsub ${op} needs a <topic>`)
  if (op === 'sub' && rest.length > 0) throw new UsageError('pubsub sub takes one argument, the topic')
  if (op === 'pub' && rest.length !== 1) throw new UsageError('pubsub pub takes a topic and one message (quote it)')
  const peers = options.peer as string[] | undefined
  if (peers === undefined) throw new UsageError('pubsub needs at least one --peer')
  const count = options.count === undefined ? Infinity : integerOption(options, 'count', 1, { min: 1 })
  const waitMs = integerOption(options, 'wait', DEFAULT_PUB_WAIT_MS, { min: 0 })

  const node = await createNode({ listen: [], services: { pubsub: gossipsub(options.sign === false ? { signaturePolicy: 'StrictNoSign' } : {}) } })
  const pubsub = node.services.pubsub
  try {
    let connected = 0
    for (const peer of peers) {
      try { await node.dial(peer, { signal: AbortSignal.timeout(10_000) }); connected++ } catch (err) { out.error(`cannot reach ${peer}: ${describeError(err)}`) }
    }
    if (connected === 0) throw new CliError('no peer reachable', EXIT_UNREACHABLE)
    if (op === 'sub') {
      pubsub.subscribe(topic)
      let seen = 0
      await new Promise<void>(resolve => {
        pubsub.addEventListener('message', e => {
          const m = e.detail
          if (m.topic !== topic || seen >= count) return
          out.log(`${m.from?.toString() ?? 'anonymous'}: ${new TextDecoder().decode(m.data)}`)
          if (++seen >= count) resolve()
        })
        void stopSignal().then(resolve)
        out.error(`subscribed to ${topic}; waiting for messages`)
      })
      return EXIT_OK
    }
    const deadline = Date.now() + waitMs
    while (pubsub.getSubscribers(topic).length === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
    const reached = await pubsub.publish(topic, new TextEncoder().encode(rest[0]!))
    if (reached.length === 0) throw new CliError(`no peer subscribed to ${topic} within ${waitMs} ms; nothing sent`, EXIT_FAILURE)
    out.log(`published to ${reached.length} peer${reached.length === 1 ? '' : 's'}`)
    return EXIT_OK
  } finally {
    await node.stop()
  }
}
