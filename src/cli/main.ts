#!/usr/bin/env node
/**
 * The `wasp2p` command line: `start`, `ping`, `perf`. Each command lives in
 * commands/ and returns an exit code; failures are CliErrors carrying theirs
 * (exit-codes.ts). Nothing here runs in browsers.
 */
import { dhtCommand, DHT_HELP } from './commands/dht.js'
import { perfCommand, PERF_HELP } from './commands/perf.js'
import { pingCommand, PING_HELP } from './commands/ping.js'
import { pubsubCommand, PUBSUB_HELP } from './commands/pubsub.js'
import { startCommand, START_HELP } from './commands/start.js'
import { CliError, EXIT_CODE_HELP, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-codes.js'
import { consoleOutput, type Output } from './output.js'

/**
 * How long a finished one-shot command (ping, perf) may linger before the
 * process exits anyway, ms. Everything is closed by then; this only stops a
 * stray handle from leaving the user's shell waiting.
 */
export const EXIT_LINGER_MS = 2_000

const COMMANDS: Record<string, { run: (argv: readonly string[], out: Output) => Promise<number>, help: string, summary: string }> = {
  start: { run: startCommand, help: START_HELP, summary: 'run a node (TCP + WebSockets) and serve the demo page' },
  ping: { run: pingCommand, help: PING_HELP, summary: 'measure round trips to a peer (/ipfs/ping/1.0.0)' },
  perf: { run: perfCommand, help: PERF_HELP, summary: 'measure throughput to a peer (/perf/1.0.0)' },
  dht: { run: dhtCommand, help: DHT_HELP, summary: 'one Kademlia DHT operation (find-peer, get, put, provide, ...)' },
  pubsub: { run: pubsubCommand, help: PUBSUB_HELP, summary: 'gossipsub: print a topic\'s messages (sub) or publish one (pub)' }
}

export const MAIN_HELP = `Usage: wasp2p <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(6)} ${c.summary}`).join('\n')}
  help   show help for a command: wasp2p help <command>

Run \`wasp2p <command> --help\` for a command's options.

${EXIT_CODE_HELP}`

export async function main (argv: readonly string[], out: Output = consoleOutput): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h') { out.log(MAIN_HELP); return name === undefined ? EXIT_USAGE : EXIT_OK }
  if (name === 'help') {
    const command = rest[0] === undefined ? undefined : COMMANDS[rest[0]]
    out.log(command?.help ?? MAIN_HELP)
    return EXIT_OK
  }
  const command = COMMANDS[name]
  if (command === undefined) {
    out.error(`wasp2p: unknown command "${name}"; run wasp2p --help`)
    return EXIT_USAGE
  }
  try {
    return await command.run(rest, out)
  } catch (err) {
    if (err instanceof CliError) {
      out.error(`wasp2p ${name}: ${err.message}`)
      if (err.exitCode === EXIT_USAGE) out.error(`run \`wasp2p ${name} --help\` for usage`)
      return err.exitCode
    }
    out.error(`wasp2p ${name}: unexpected error: ${(err as Error).stack ?? String(err)}`)
    return EXIT_FAILURE
  }
}

const code = await main(process.argv.slice(2))
process.exitCode = code
setTimeout(() => process.exit(code), EXIT_LINGER_MS).unref()
