/**
 * Protocol handlers: which protocols inbound streams may select, and who
 * gets the stream once one is selected. Consulted by every Connection.
 */
import type { ProtocolRegistry, StreamHandler } from '../connection/connection.js'
import { DuplicateHandlerError } from './errors.js'

export class Registrar implements ProtocolRegistry {
  readonly #handlers = new Map<string, StreamHandler>()

  handle (protocol: string, handler: StreamHandler): void {
    if (this.#handlers.has(protocol)) throw new DuplicateHandlerError(`a handler for ${protocol} is already registered`)
    this.#handlers.set(protocol, handler)
  }

  unhandle (protocol: string): void {
    this.#handlers.delete(protocol)
  }

  protocols (): string[] { return [...this.#handlers.keys()] }

  handler (protocol: string): StreamHandler | undefined { return this.#handlers.get(protocol) }
}
