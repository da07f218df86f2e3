/**
 * The CLI's exit codes, one per kind of failure a script may want to tell
 * apart. `wasp2p --help` prints this table; keep the two in step.
 */

/** Success. */
export const EXIT_OK = 0
/** Anything not listed below: a ping that timed out or echoed wrong bytes, a perf length mismatch. */
export const EXIT_FAILURE = 1
/** Bad command line: unknown command or option, missing or malformed value. */
export const EXIT_USAGE = 2
/** The multiaddr does not parse, or no transport of ours can dial (or, for `start --listen`, listen on) it. */
export const EXIT_BAD_MULTIADDR = 3
/** Could not connect: refused, timed out, or the secure handshake failed (e.g. a different peer id). */
export const EXIT_UNREACHABLE = 4
/** Connected, but the remote does not speak the protocol (multistream-select `na`). */
export const EXIT_PROTOCOL_UNSUPPORTED = 5

export const EXIT_CODE_HELP = `Exit codes:
  ${EXIT_OK}  success
  ${EXIT_FAILURE}  failure after connecting (ping timeout or wrong echo, perf length mismatch, ...)
  ${EXIT_USAGE}  bad command line (unknown command or option, missing or malformed value)
  ${EXIT_BAD_MULTIADDR}  bad multiaddr (does not parse, or no transport can dial it)
  ${EXIT_UNREACHABLE}  peer unreachable (connection refused, dial timeout, handshake failed)
  ${EXIT_PROTOCOL_UNSUPPORTED}  the peer does not support the protocol`

/** A failure the CLI reports as one line on stderr and a specific exit code. */
export class CliError extends Error {
  override name = 'CliError'
  readonly exitCode: number

  constructor (message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options)
    this.exitCode = exitCode
  }
}

/** A bad command line (EXIT_USAGE). */
export class UsageError extends CliError {
  override name = 'UsageError'

  constructor (message: string) { super(message, EXIT_USAGE) }
}
