/**
 * What an observer of the resource manager (a metrics service) is told:
 * streams as they open and close, and every refusal. Called synchronously;
 * with no observer the manager does no work for them.
 */
import type { ResourceLimitError } from './errors.js'

/** Counts the bytes of one negotiated stream (payload bytes after multistream-select). */
export interface StreamMeter {
  received: (bytes: number) => void
  sent: (bytes: number) => void
}

export interface StreamInfo {
  readonly protocol: string
  readonly direction: 'inbound' | 'outbound'
  /** The connection's id (Connection.id). */
  readonly connection: string
}

export interface ResourceObserver {
  /** A stream finished negotiation and was admitted; a meter returned counts its bytes. */
  streamOpened?: (stream: StreamInfo) => StreamMeter | undefined
  streamClosed?: (stream: StreamInfo) => void
  /** A limit refused a connection, a stream or buffered bytes. */
  refused?: (error: ResourceLimitError) => void
}
