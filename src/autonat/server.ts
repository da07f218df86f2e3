/**
 * AutoNAT v2 server (autonat v2 spec, "AutoNAT V2 Protocol"): reads one
 * DialRequest, picks the first address it is willing to dial (IP + TCP, not
 * relayed, public unless `allowPrivateAddresses`, not someone else's
 * `/p2p/`, of an IP family we listen on), asks for dial data first when that address's IP is not the one
 * the client connects from ("Amplification Attack Prevention"), dials it on a
 * new connection that must reach the requesting peer, delivers the nonce on
 * `/libp2p/autonat/2/dial-back`, and answers with a DialResponse.
 *
 * Admission (./rate-limit.ts) answers E_REQUEST_REJECTED; bad input aborts the
 * stream with a named error (./errors.ts), reported through `onError`.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '../connection/connection.js'
import { ipOf, isPublicAddress, isRelayAddress } from '../addresses/ip-scope.js'
import { getPeerIdFromMultiaddr, toMultiaddr, withPeerId, withoutPeerId } from '../multiaddr/index.js'
import type { PeerId } from '../peer-id/types.js'
import type { ServiceHost } from '../node/service.js'
import { ByteReader } from '../stream/byte-reader.js'
import { writeLengthPrefixed } from '../stream/length-prefixed.js'
import type { Stream } from '../stream/types.js'
import { withTimeout } from '../protocols/_timeout.js'
import {
  AUTONAT_DIAL_BACK_TIMEOUT_MS, AUTONAT_DIAL_DATA_MAX_BYTES, AUTONAT_DIAL_DATA_MIN_BYTES,
  AUTONAT_MAX_DIAL_DATA_MESSAGES, AUTONAT_REQUEST_TIMEOUT_MS, DIAL_BACK_PROTOCOL
} from './constants.js'
import { AutonatAddressCountError, AutonatDialDataFloodError, AutonatMessageError, AutonatRateLimitError, AutonatTimeoutError } from './errors.js'
import { Admission, type AdmissionOptions } from './rate-limit.js'
import {
  DialBackStatus, DialStatus, MessageStream, ResponseStatus, decodeDialBackResponse, encodeDialBack, readFrame
} from './message.js'

export interface AutonatServerOptions extends AdmissionOptions {
  /** Dial private, loopback and link-local addresses too (for LANs and tests); default false, as the spec says. */
  allowPrivateAddresses?: boolean
  /** Dial data asked before dialing another IP, drawn from [min, max]; default [AUTONAT_DIAL_DATA_MIN_BYTES, AUTONAT_DIAL_DATA_MAX_BYTES]. */
  dialDataBytes?: readonly [number, number]
  /** Default AUTONAT_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number
  /** Default AUTONAT_DIAL_BACK_TIMEOUT_MS. */
  dialBackTimeoutMs?: number
  /** Each request that ended in an error (the stream was aborted with it) or was rejected. */
  onError?: (error: Error, peer: PeerId) => void
}

export interface AutonatServerStats {
  /** Requests answered OK, by the outcome of the dial. */
  dialed: number
  dialErrors: number
  dialBackErrors: number
  refused: number
  rejected: number
  /** Requests that asked for dial data first. */
  dialDataRequested: number
}

export class AutonatServer {
  readonly stats: AutonatServerStats = { dialed: 0, dialErrors: 0, dialBackErrors: 0, refused: 0, rejected: 0, dialDataRequested: 0 }
  readonly #host: ServiceHost
  readonly #options: AutonatServerOptions
  readonly #admission: Admission

  constructor (host: ServiceHost, options: AutonatServerOptions = {}) {
    this.#host = host
    this.#options = options
    this.#admission = new Admission(options)
  }

  /** Serves one inbound dial-request stream; never throws (errors abort the stream and go to `onError`). */
  async handle (stream: Stream, connection: Connection): Promise<void> {
    const timeout = this.#options.requestTimeoutMs ?? AUTONAT_REQUEST_TIMEOUT_MS
    const messages = new MessageStream(stream)
    try {
      await withTimeout(this.#serve(messages, connection), timeout,
        () => new AutonatTimeoutError(`dial request from ${connection.remotePeer.toString()} took over ${timeout} ms`))
      await stream.close()
    } catch (err) {
      stream.abort(err as Error)
      this.#options.onError?.(err as Error, connection.remotePeer)
    }
  }

  async #serve (messages: MessageStream, connection: Connection): Promise<void> {
    const request = await messages.read()
    if (request.type !== 'dialRequest') throw new AutonatMessageError(`expected a DialRequest, got a ${request.type}`)
    if (request.addrs.length === 0) throw new AutonatAddressCountError('a DialRequest with no addresses')
    const refusal = this.#admission.admit(connection.remotePeer.toString())
    if (refusal !== undefined) {
      this.stats.rejected++
      await messages.write({ type: 'dialResponse', status: ResponseStatus.E_REQUEST_REJECTED, addrIdx: 0, dialStatus: DialStatus.UNUSED })
      this.#options.onError?.(new AutonatRateLimitError(refusal), connection.remotePeer)
      return
    }
    try {
      const index = request.addrs.findIndex(bytes => this.#willDial(bytes, connection.remotePeer))
      if (index === -1) {
        this.stats.refused++
        await messages.write({ type: 'dialResponse', status: ResponseStatus.E_DIAL_REFUSED, addrIdx: 0, dialStatus: DialStatus.UNUSED })
        return
      }
      const addr = withoutPeerId(toMultiaddr(request.addrs[index] as Uint8Array))
      if (ipOf(addr)?.host !== ipOf(connection.remoteAddr)?.host) await this.#collectDialData(messages, index)
      const dialStatus = await this.#dialBack(addr, connection.remotePeer, request.nonce)
      if (dialStatus === DialStatus.OK) this.stats.dialed++
      else if (dialStatus === DialStatus.E_DIAL_ERROR) this.stats.dialErrors++
      else this.stats.dialBackErrors++
      await messages.write({ type: 'dialResponse', status: ResponseStatus.OK, addrIdx: index, dialStatus })
    } finally {
      this.#admission.release()
    }
  }

  /** An address we can and may dial for this peer (spec: the server SHOULD NOT dial private addresses). */
  #willDial (bytes: Uint8Array, requester: PeerId): boolean {
    let addr: Multiaddr
    try { addr = toMultiaddr(bytes) } catch { return false }
    let target: PeerId | undefined
    try { target = getPeerIdFromMultiaddr(addr) } catch { return false }
    if (target !== undefined && !target.equals(requester)) return false
    const bare = withoutPeerId(addr)
    const ip = ipOf(bare)
    if (ip === undefined || bare.getComponents()[1]?.name !== 'tcp' || isRelayAddress(bare)) return false
    if (!this.#hasFamily(ip.family)) return false
    return this.#options.allowPrivateAddresses === true || isPublicAddress(bare)
  }

  /**
   * Whether we seem to have connectivity in `family` (spec, Implementation Suggestions:
   * IPv4-only servers SHOULD refuse IPv6 addresses and the reverse): we listen on an
   * address of that family, or on none at all (then we cannot tell, and try).
   */
  #hasFamily (family: 'ip4' | 'ip6'): boolean {
    const ours = this.#host.addressManager.getAddresses().map(a => ipOf(a.multiaddr)?.family).filter(f => f !== undefined)
    return ours.length === 0 || ours.includes(family)
  }

  /** Asks for a random amount of dial data and reads it, within AUTONAT_MAX_DIAL_DATA_MESSAGES messages. */
  async #collectDialData (messages: MessageStream, index: number): Promise<void> {
    const [min, max] = this.#options.dialDataBytes ?? [AUTONAT_DIAL_DATA_MIN_BYTES, AUTONAT_DIAL_DATA_MAX_BYTES]
    const numBytes = min + Math.floor(Math.random() * (max - min + 1))
    this.stats.dialDataRequested++
    await messages.write({ type: 'dialDataRequest', addrIdx: index, numBytes: BigInt(numBytes) })
    let received = 0
    for (let count = 0; received < numBytes; count++) {
      if (count === AUTONAT_MAX_DIAL_DATA_MESSAGES) throw new AutonatDialDataFloodError(`${count} DialDataResponse messages brought only ${received} of ${numBytes} bytes`)
      const message = await messages.read()
      if (message.type !== 'dialDataResponse') throw new AutonatMessageError(`expected a DialDataResponse, got a ${message.type}`)
      received += message.data.length
    }
  }

  /** Dials `addr` anew, expecting `peer`, and delivers the nonce; the DialStatus of the attempt. */
  async #dialBack (addr: Multiaddr, peer: PeerId, nonce: bigint): Promise<number> {
    const timeout = this.#options.dialBackTimeoutMs ?? AUTONAT_DIAL_BACK_TIMEOUT_MS
    const signal = AbortSignal.timeout(timeout)
    let connection: Connection
    try {
      connection = await this.#host.dial(withPeerId(addr, peer), { signal, force: true })
    } catch {
      return DialStatus.E_DIAL_ERROR
    }
    try {
      const stream = await connection.newStream(DIAL_BACK_PROTOCOL, { signal })
      const exchange = (async () => {
        await writeLengthPrefixed(stream, encodeDialBack(nonce))
        const status = decodeDialBackResponse(await readFrame(new ByteReader(stream)))
        if (status !== DialBackStatus.OK) throw new AutonatMessageError(`DialBackResponse status ${status}`)
        await stream.close()
      })()
      await withTimeout(exchange, timeout, () => {
        const err = new AutonatTimeoutError(`dial-back to ${addr.toString()} took over ${timeout} ms`)
        stream.abort(err)
        return err
      })
      return DialStatus.OK
    } catch {
      return DialStatus.E_DIAL_BACK_ERROR
    } finally {
      // The dial-back connection existed only for this test (it is never the client's own connection: force).
      void connection.close().catch(() => {})
    }
  }
}
