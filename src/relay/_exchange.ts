/**
 * One request/answer exchange on a hop or stop stream: messages are
 * varint-length-prefixed protobufs (circuit-v2.md "The Protocol"), at most
 * MAX_RELAY_MESSAGE_SIZE. The stream's bytes after the exchange belong to
 * the relayed connection, so reads go through a ByteReader whose `rest()`
 * hands them on without losing what was read ahead.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { ByteReader } from '../stream/byte-reader.js'
import { writeLengthPrefixed } from '../stream/length-prefixed.js'
import type { Stream } from '../stream/types.js'
import type { RawConnection } from '../transport/types.js'
import { MAX_RELAY_MESSAGE_SIZE, RELAY_EXCHANGE_TIMEOUT_MS } from './constants.js'
import { MalformedRelayMessageError, RelayTimeoutError } from './errors.js'
import { decodeHopMessage, decodeStopMessage, encodeHopMessage, encodeStopMessage, type HopMessage, type RelayLimit, type StopMessage } from './messages.js'

export class RelayStream {
  readonly stream: Stream
  readonly reader: ByteReader
  #timer: ReturnType<typeof setTimeout> | undefined

  /** Starts the exchange deadline: past `timeoutMs` the stream is aborted with RelayTimeoutError. */
  constructor (stream: Stream, timeoutMs: number = RELAY_EXCHANGE_TIMEOUT_MS) {
    this.stream = stream
    this.reader = new ByteReader(stream)
    this.#timer = setTimeout(() => {
      stream.abort(new RelayTimeoutError(`relay exchange took longer than ${timeoutMs} ms`))
    }, timeoutMs)
  }

  /** Ends the deadline: the exchange is over, the stream lives on (as a circuit) or is closed. */
  done (): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  async #read (): Promise<Uint8Array> {
    try {
      return await this.reader.readLengthPrefixed(MAX_RELAY_MESSAGE_SIZE)
    } catch (err) {
      if (err instanceof RangeError) throw new MalformedRelayMessageError(err.message)
      throw err
    }
  }

  async readHop (): Promise<HopMessage> { return decodeHopMessage(await this.#read()) }
  async readStop (): Promise<StopMessage> { return decodeStopMessage(await this.#read()) }
  async writeHop (m: HopMessage): Promise<void> { await writeLengthPrefixed(this.stream, encodeHopMessage(m)) }
  async writeStop (m: StopMessage): Promise<void> { await writeLengthPrefixed(this.stream, encodeStopMessage(m)) }

  /** Ends the exchange and closes the stream (after a refusal or a reservation answer). */
  async finish (): Promise<void> {
    this.done()
    try { await this.stream.close() } catch { this.stream.reset() }
  }

  /** Ends the exchange and resets the stream (the remote sees an error). */
  fail (err: Error): void {
    this.done()
    this.stream.abort(err)
  }
}

/**
 * Largest `Limit.duration` read as seconds: 86 400 (a day). The spec's field
 * is seconds ("the maximum duration of a relayed connection in seconds"), but
 * js-libp2p's relay (circuit-relay-v2 3.x) writes its duration setting there
 * in milliseconds and cuts the circuit after that many ms (its own client
 * reads seconds, so reports 120 000 s for its 2-minute default). No relay
 * limits a circuit to more than a day, so a larger value is read as ms.
 */
export const MAX_LIMIT_DURATION_SECONDS = 86_400

/** The relay's limits as the connection reports them; undefined when none apply (absent or 0, spec "Limit"). */
export function effectiveLimit (limit: RelayLimit | undefined): RelayLimit | undefined {
  if (limit === undefined) return undefined
  const out: RelayLimit = {}
  if (limit.durationSeconds !== undefined && limit.durationSeconds > 0) {
    out.durationSeconds = limit.durationSeconds > MAX_LIMIT_DURATION_SECONDS ? Math.ceil(limit.durationSeconds / 1000) : limit.durationSeconds
  }
  if (limit.dataBytes !== undefined && limit.dataBytes > 0n) out.dataBytes = limit.dataBytes
  return out.durationSeconds === undefined && out.dataBytes === undefined ? undefined : out
}

/**
 * The end of a circuit as a raw connection: what the upgrader runs Noise and
 * yamux over, end to end (spec "Interaction": "B and A upgrade the relayed
 * connection ... just like they would e.g. upgrade a TCP connection").
 */
export class CircuitConnection implements RawConnection {
  readonly remoteAddr: Multiaddr
  readonly localAddr: Multiaddr | undefined
  /** The relay's limits on this circuit; undefined when it applies none. */
  readonly limits: RelayLimit | undefined
  readonly #exchange: RelayStream
  readonly #source: AsyncIterable<Uint8Array>

  constructor (exchange: RelayStream, init: { remoteAddr: Multiaddr, localAddr?: Multiaddr, limit?: RelayLimit | undefined }) {
    exchange.done()
    this.#exchange = exchange
    this.#source = exchange.reader.rest()
    this.remoteAddr = init.remoteAddr
    this.localAddr = init.localAddr
    this.limits = effectiveLimit(init.limit)
  }

  [Symbol.asyncIterator] (): AsyncIterator<Uint8Array> { return this.#source[Symbol.asyncIterator]() }
  async write (chunk: Uint8Array): Promise<void> { await this.#exchange.stream.write(chunk) }
  async closeWrite (): Promise<void> { await this.#exchange.stream.closeWrite() }
  async close (): Promise<void> { await this.#exchange.stream.close() }
  abort (err: Error): void { this.#exchange.stream.abort(err) }
}
