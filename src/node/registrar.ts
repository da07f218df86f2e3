/**
 * Protocol handlers: which protocols inbound streams may select, who gets
 * the stream once one is selected, and how many streams of each protocol a
 * connection may have open in each direction. Consulted by every Connection.
 */
import type { ProtocolRegistry, StreamHandler } from '../connection/connection.js'
import { MAX_INBOUND_STREAMS_PER_PROTOCOL, MAX_OUTBOUND_STREAMS_PER_PROTOCOL } from '../connection-manager/constants.js'
import { DuplicateHandlerError } from './errors.js'

export interface HandleOptions {
  /** Inbound streams of this protocol per connection; default MAX_INBOUND_STREAMS_PER_PROTOCOL. Excess streams are reset. */
  maxInboundStreams?: number
  /** Outbound streams of this protocol per connection; default MAX_OUTBOUND_STREAMS_PER_PROTOCOL. */
  maxOutboundStreams?: number
}

interface Registration {
  handler: StreamHandler
  maxInboundStreams: number
  maxOutboundStreams: number
}

export class Registrar implements ProtocolRegistry {
  readonly #handlers = new Map<string, Registration>()

  handle (protocol: string, handler: StreamHandler, options: HandleOptions = {}): void {
    if (this.#handlers.has(protocol)) throw new DuplicateHandlerError(`a handler for ${protocol} is already registered`)
    for (const limit of [options.maxInboundStreams, options.maxOutboundStreams]) {
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new RangeError('stream limits must be non-negative integers')
    }
    this.#handlers.set(protocol, {
      handler,
      maxInboundStreams: options.maxInboundStreams ?? MAX_INBOUND_STREAMS_PER_PROTOCOL,
      maxOutboundStreams: options.maxOutboundStreams ?? MAX_OUTBOUND_STREAMS_PER_PROTOCOL
    })
  }

  unhandle (protocol: string): void {
    this.#handlers.delete(protocol)
  }

  protocols (): string[] { return [...this.#handlers.keys()] }

  handler (protocol: string): StreamHandler | undefined { return this.#handlers.get(protocol)?.handler }

  streamLimit (protocol: string, direction: 'inbound' | 'outbound'): number {
    const registration = this.#handlers.get(protocol)
    if (direction === 'inbound') return registration?.maxInboundStreams ?? MAX_INBOUND_STREAMS_PER_PROTOCOL
    return registration?.maxOutboundStreams ?? MAX_OUTBOUND_STREAMS_PER_PROTOCOL
  }
}
