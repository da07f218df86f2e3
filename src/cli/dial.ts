/**
 * What `ping` and `perf` share: a listen-less client node, and the mapping of
 * each way a dial or a protocol negotiation fails onto one exit code
 * (exit-codes.ts), so scripts can tell "bad address" from "nobody there"
 * from "there, but no such protocol".
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '../connection/connection.js'
import { InvalidMultiaddrError, toMultiaddr } from '../multiaddr/index.js'
import { UnsupportedProtocolError } from '../multistream/errors.js'
import { createNode, type Wasp2pNode } from '../node/node.js'
import type { Stream } from '../stream/types.js'
import { UnsupportedTransportError } from '../transport/errors.js'
import { CliError, EXIT_BAD_MULTIADDR, EXIT_FAILURE, EXIT_PROTOCOL_UNSUPPORTED, EXIT_UNREACHABLE, UsageError } from './exit-codes.js'

/**
 * Default limit for connecting (transport dial + Noise + muxer), in ms: a
 * loopback dial takes ~10 ms, a far peer well under a second; beyond 10 s the
 * user is better told it is unreachable.
 */
export const CLI_DIAL_TIMEOUT_MS = 10_000

export function parseTarget (text: string | undefined): Multiaddr {
  if (text === undefined) throw new UsageError('missing <multiaddr> (e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3Koo...)')
  try {
    return toMultiaddr(text)
  } catch (err) {
    throw new CliError(`bad multiaddr "${text}": ${(err as Error).message}`, EXIT_BAD_MULTIADDR, { cause: err })
  }
}

/** Runs `use` with a started client node (no listeners) and always stops it. */
export async function withClientNode<T> (use: (node: Wasp2pNode) => Promise<T>): Promise<T> {
  const node = await createNode({ listen: [] })
  try {
    return await use(node)
  } finally {
    await node.stop()
  }
}

function describe (err: unknown): string {
  const e = err as Error
  const cause = e.cause instanceof Error && e.cause.message !== e.message ? ` (${e.cause.message})` : ''
  return `${e.name}: ${e.message}${cause}`
}

export async function dialOrExit (node: Wasp2pNode, addr: Multiaddr, timeoutMs = CLI_DIAL_TIMEOUT_MS): Promise<Connection> {
  try {
    return await node.dial(addr, { signal: AbortSignal.timeout(timeoutMs) })
  } catch (err) {
    if (err instanceof UnsupportedTransportError || err instanceof InvalidMultiaddrError) {
      throw new CliError(`cannot dial ${addr.toString()}: ${describe(err)}`, EXIT_BAD_MULTIADDR, { cause: err })
    }
    throw new CliError(`peer unreachable at ${addr.toString()}: ${describe(err)}`, EXIT_UNREACHABLE, { cause: err })
  }
}

/**
 * Maps a failure on a protocol stream to its CliError. With a single protocol
 * the selection is lazy (Connection.newStream), so a `na` from the remote
 * arrives here, on the first read, rather than from newStream.
 */
export function protocolFailure (err: unknown, connection: Connection, protocol: string, what: string): CliError {
  if (err instanceof CliError) return err
  if (err instanceof UnsupportedProtocolError || (err as Error).cause instanceof UnsupportedProtocolError) {
    return new CliError(`${connection.remotePeer.toString()} does not support ${protocol}`, EXIT_PROTOCOL_UNSUPPORTED, { cause: err })
  }
  return new CliError(`${what} failed: ${describe(err)}`, EXIT_FAILURE, { cause: err })
}

export async function openStreamOrExit (connection: Connection, protocol: string, timeoutMs = CLI_DIAL_TIMEOUT_MS): Promise<Stream> {
  try {
    return await connection.newStream(protocol, { signal: AbortSignal.timeout(timeoutMs) })
  } catch (err) {
    if (err instanceof UnsupportedProtocolError) throw protocolFailure(err, connection, protocol, protocol)
    throw new CliError(`could not open a ${protocol} stream: ${describe(err)}`, EXIT_UNREACHABLE, { cause: err })
  }
}

export { describe as describeError }
