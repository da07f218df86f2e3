/**
 * AutoNAT v2 client (autonat v2 spec): asks servers to dial one of our
 * addresses back, one address per DialRequest (the server dials one address
 * per request anyway, and an answer about one address is unambiguous), pays
 * the dial data a server asks for up to AUTONAT_CLIENT_MAX_DIAL_DATA_BYTES,
 * and counts a server's OK only if its nonce came back on a dial-back
 * stream (spec: "The client MUST check that the nonce received in the
 * DialBack is the same as the nonce it sent").
 *
 * An address is *public* once `confirmations` distinct servers dialed it, and
 * *private* once as many failed to (E_DIAL_ERROR); E_DIAL_BACK_ERROR, refusals
 * and rejections count for neither. A verdict stands for the recheck
 * interval, then the address is asked about again.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '../connection/connection.js'
import type { PeerId } from '../peer-id/types.js'
import { ByteReader } from '../stream/byte-reader.js'
import { writeLengthPrefixed } from '../stream/length-prefixed.js'
import type { Stream } from '../stream/types.js'
import { withTimeout } from '../protocols/_timeout.js'
import {
  AUTONAT_CLIENT_MAX_DIAL_DATA_BYTES, AUTONAT_DIAL_DATA_CHUNK_BYTES, AUTONAT_REQUEST_TIMEOUT_MS, DIAL_REQUEST_PROTOCOL
} from './constants.js'
import { AutonatDialDataLimitError, AutonatMessageError, AutonatNonceMismatchError, AutonatTimeoutError } from './errors.js'
import {
  DialBackStatus, DialStatus, MessageStream, ResponseStatus, decodeDialBack, encodeDialBackResponse, encodeMessage, readFrame
} from './message.js'
import { encodeLengthPrefixed } from '../stream/length-prefixed.js'

/** What one server said about one address. */
export interface DialCheck {
  server: PeerId
  addr: Multiaddr
  /** The DialResponse's ResponseStatus (ResponseStatus.OK when the server dialed). */
  status: number
  /** The DialStatus (meaningful when status is OK). */
  dialStatus: number
  /** Whether the server's dial back delivered our nonce. */
  dialedBack: boolean
  /** Dial data the server asked for first (0: none). */
  dialDataBytes: number
  /** What it means: a dial that reached us, one that did not, or neither. */
  outcome: 'reachable' | 'unreachable' | 'inconclusive'
}

export interface DialCheckOptions {
  signal?: AbortSignal
  /** Default AUTONAT_REQUEST_TIMEOUT_MS. */
  timeoutMs?: number
  /** Default AUTONAT_CLIENT_MAX_DIAL_DATA_BYTES. */
  maxDialDataBytes?: number
}

function randomNonce (): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  return new DataView(bytes.buffer).getBigUint64(0, true)
}

/** One zero-filled DialDataResponse, encoded once and sent as often as needed (spec allows the last to overshoot). */
const dialDataFrame = /* @__PURE__ */ (() => {
  let frame: Uint8Array | undefined
  return () => (frame ??= encodeLengthPrefixed(encodeMessage({ type: 'dialDataResponse', data: new Uint8Array(AUTONAT_DIAL_DATA_CHUNK_BYTES) })))
})()

export class DialBackNonces {
  readonly #pending = new Map<bigint, { dialedBack: boolean }>()

  open (): { nonce: bigint, state: { dialedBack: boolean }, close: () => void } {
    let nonce = randomNonce()
    while (this.#pending.has(nonce)) nonce = randomNonce()
    const state = { dialedBack: false }
    this.#pending.set(nonce, state)
    return { nonce, state, close: () => { this.#pending.delete(nonce) } }
  }

  /**
   * Serves one inbound dial-back stream: a nonce we are waiting for is marked
   * and answered OK; any other is AutonatNonceMismatchError and the stream is aborted.
   */
  async handle (stream: Stream, timeoutMs = AUTONAT_REQUEST_TIMEOUT_MS): Promise<void> {
    try {
      await withTimeout((async () => {
        const nonce = decodeDialBack(await readFrame(new ByteReader(stream)))
        const state = this.#pending.get(nonce)
        if (state === undefined) throw new AutonatNonceMismatchError('a dial-back whose nonce matches no request in flight')
        state.dialedBack = true
        await writeLengthPrefixed(stream, encodeDialBackResponse(DialBackStatus.OK))
        await stream.close()
      })(), timeoutMs, () => new AutonatTimeoutError(`dial-back stream idle for ${timeoutMs} ms`))
    } catch (err) {
      stream.abort(err as Error)
      throw err
    }
  }
}

/** Asks the server at the other end of `connection` to dial `addr` back; resolves with what it said. */
export async function checkAddress (connection: Connection, addr: Multiaddr, nonces: DialBackNonces, options: DialCheckOptions = {}): Promise<DialCheck> {
  const timeout = options.timeoutMs ?? AUTONAT_REQUEST_TIMEOUT_MS
  const maxDialData = options.maxDialDataBytes ?? AUTONAT_CLIENT_MAX_DIAL_DATA_BYTES
  const { nonce, state, close } = nonces.open()
  const opened: { stream?: Stream } = {}
  try {
    return await withTimeout((async () => {
      const stream = opened.stream = await connection.newStream(DIAL_REQUEST_PROTOCOL, options.signal !== undefined ? { signal: options.signal } : {})
      const messages = new MessageStream(stream)
      await messages.write({ type: 'dialRequest', addrs: [addr.bytes], nonce })
      let dialDataBytes = 0
      let message = await messages.read()
      if (message.type === 'dialDataRequest') {
        if (message.addrIdx !== 0) throw new AutonatMessageError(`dial data asked for address ${message.addrIdx} of 1`)
        if (message.numBytes > BigInt(maxDialData)) throw new AutonatDialDataLimitError(`the server asked for ${message.numBytes} bytes of dial data (the limit is ${maxDialData})`)
        dialDataBytes = Number(message.numBytes)
        for (let sent = 0; sent < dialDataBytes; sent += AUTONAT_DIAL_DATA_CHUNK_BYTES) await stream.write(dialDataFrame())
        message = await messages.read()
      }
      if (message.type !== 'dialResponse') throw new AutonatMessageError(`expected a DialResponse, got a ${message.type}`)
      // The server closes after its response; nothing else is owed on this stream.
      await stream.close()
      const { status, dialStatus } = message
      let outcome: DialCheck['outcome'] = 'inconclusive'
      if (status === ResponseStatus.OK && message.addrIdx === 0) {
        // An OK without our nonce is discarded (spec): the server did not prove its dial.
        if (dialStatus === DialStatus.OK && state.dialedBack) outcome = 'reachable'
        else if (dialStatus === DialStatus.E_DIAL_ERROR) outcome = 'unreachable'
      }
      return { server: connection.remotePeer, addr, status, dialStatus, dialedBack: state.dialedBack, dialDataBytes, outcome }
    })(), timeout, () => new AutonatTimeoutError(`dial request to ${connection.remotePeer.toString()} took over ${timeout} ms`), options.signal)
  } catch (err) {
    // A reset, not a close: spec, "the client resets the stream" when it declines; likewise on any failure.
    opened.stream?.reset()
    throw err
  } finally {
    close()
  }
}
