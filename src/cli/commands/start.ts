/**
 * `wasp2p start`: a long-running node on TCP and WebSockets that answers
 * identify, ping, perf and echo, plus the demo page on HTTP, until SIGINT or
 * SIGTERM; then it stops gracefully (listeners, connections, HTTP server)
 * and the process exits by itself.
 */
import { InvalidMultiaddrError } from '../../multiaddr/index.js'
import { createNode } from '../../node/node.js'
import { UnsupportedTransportError } from '../../transport/errors.js'
import { echoHandler, ECHO_PROTOCOL } from '../../node/echo.js'
import { identifyService } from '../../protocols/identify/service.js'
import { perfService } from '../../protocols/perf/service.js'
import { integerOption, parseArgs, type OptionSpecs } from '../args.js'
import { logConnections } from '../connection-log.js'
import { browserDialable, startDemoServer, type DemoServer } from '../demo-server.js'
import { describeError } from '../dial.js'
import { CliError, EXIT_BAD_MULTIADDR, EXIT_CODE_HELP, EXIT_FAILURE, EXIT_OK, UsageError } from '../exit-codes.js'
import type { Output } from '../output.js'

/** Host every default listener binds to: loopback, so a demo never exposes a port to the network. */
export const DEFAULT_HOST = '127.0.0.1'
/** The customary libp2p TCP port. */
export const DEFAULT_TCP_PORT = 4001
/** WebSocket port, next to the TCP one. */
export const DEFAULT_WS_PORT = 4002
/** The demo page's HTTP port. */
export const DEFAULT_HTTP_PORT = 8080
/** What identify announces for a CLI node. */
export const CLI_AGENT_VERSION = 'wasp2p-cli/0.1.0'
/**
 * After a stop signal, how long a graceful stop may take before the process
 * exits anyway (ms): connection close waits are bounded below this, so
 * hitting it means something is wedged, and a user's Ctrl-C must still work.
 */
export const STOP_GRACE_MS = 10_000

export const START_HELP = `Usage: wasp2p start [--listen <multiaddr>...] [--port-tcp N] [--port-ws N] [--http-port N] [--no-demo]

Runs a wasp2p node until Ctrl-C (SIGINT) or SIGTERM. It listens on TCP and WebSockets,
serves identify, ping, perf (/perf/1.0.0) and echo (/echo/1.0.0), prints its peer id
and addresses, and serves a demo page whose in-browser wasp2p node connects to it over
WebSockets and pings it every second.

Options:
  --listen MULTIADDR  listen on this address (repeatable; replaces the TCP/WS defaults)
  --port-tcp N        TCP port on ${DEFAULT_HOST} (default ${DEFAULT_TCP_PORT}; 0 = any free port)
  --port-ws N         WebSocket port on ${DEFAULT_HOST} (default ${DEFAULT_WS_PORT}; 0 = any free port)
  --http-port N       demo page port on ${DEFAULT_HOST} (default ${DEFAULT_HTTP_PORT}; 0 = any free port)
  --no-demo           do not serve the demo page
  -h, --help          this text

${EXIT_CODE_HELP}`

const SPECS: OptionSpecs = {
  listen: { type: 'strings', short: 'l' },
  'port-tcp': { type: 'string' },
  'port-ws': { type: 'string' },
  'http-port': { type: 'string' },
  demo: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
}

const PORT = { max: 65535 }

/** Resolves with the name of the first SIGINT/SIGTERM; a second one exits at once. */
function stopSignal (): Promise<string> {
  return new Promise(resolve => {
    const onSignal = (signal: string): void => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      process.once('SIGINT', () => process.exit(130))
      process.once('SIGTERM', () => process.exit(143))
      resolve(signal)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}

export async function startCommand (argv: readonly string[], out: Output): Promise<number> {
  const { positionals, options } = parseArgs(argv, SPECS)
  if (options.help === true) { out.log(START_HELP); return EXIT_OK }
  if (positionals.length > 0) throw new UsageError(`start takes no arguments, got "${positionals.join(' ')}"`)
  const tcpPort = integerOption(options, 'port-tcp', DEFAULT_TCP_PORT, PORT)
  const wsPort = integerOption(options, 'port-ws', DEFAULT_WS_PORT, PORT)
  const httpPort = integerOption(options, 'http-port', DEFAULT_HTTP_PORT, PORT)
  const listen = (options.listen as string[] | undefined) ??
    [`/ip4/${DEFAULT_HOST}/tcp/${tcpPort}`, `/ip4/${DEFAULT_HOST}/tcp/${wsPort}/ws`]

  let node
  try {
    node = await createNode({ listen, services: { identify: identifyService({ agentVersion: CLI_AGENT_VERSION }), perf: perfService() } })
  } catch (err) {
    const badAddress = err instanceof InvalidMultiaddrError || err instanceof UnsupportedTransportError
    throw new CliError(`cannot start the node: ${describeError(err)}`, badAddress ? EXIT_BAD_MULTIADDR : EXIT_FAILURE, { cause: err })
  }
  const signal = stopSignal()
  let demo: DemoServer | undefined
  node.handle(ECHO_PROTOCOL, echoHandler)
  const connectionLog = logConnections(node, out)
  try {
    if (options.demo !== false) {
      const running = node
      demo = await startDemoServer({
        host: DEFAULT_HOST,
        port: httpPort,
        config: () => ({ peerId: running.peerId.toString(), peers: browserDialable(running.getMultiaddrs()) })
      })
    }
    out.log(`wasp2p node started`)
    out.log(`peer id: ${node.peerId.toString()}`)
    out.log('listening on:')
    for (const addr of node.getMultiaddrs()) out.log(`  ${addr.toString()}`)
    out.log(`protocols: ${node.getProtocols().join(' ')}`)
    if (demo !== undefined) out.log(`demo page: ${demo.url}`)
    out.log('press Ctrl-C to stop')
    const name = await signal
    out.log(`${name}: stopping`)
  } finally {
    const force = setTimeout(() => { out.error('stop took too long; exiting'); process.exit(EXIT_FAILURE) }, STOP_GRACE_MS)
    force.unref()
    connectionLog.stop()
    await demo?.close()
    await node.stop()
    clearTimeout(force)
  }
  out.log('stopped')
  return EXIT_OK
}
