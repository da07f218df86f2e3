/**
 * WebRTC browser-to-browser as a service:
 *
 *   createNode({
 *     transports: [webSockets()],
 *     listen: [`${relayAddr}/p2p-circuit/webrtc`],
 *     services: { circuit: circuitRelayTransport(), webrtc: webRTC() }
 *   })
 *
 * It adds the `/webrtc` transport and answers `/webrtc-signaling/0.0.1`
 * streams. It needs the circuit relay transport (signaling runs over a
 * relayed connection) and RTCPeerConnection, which only browsers have: in
 * Node creating it throws UnsupportedTransportError (wasp2p has no native
 * WebRTC dependency).
 */
import type { Connection } from '../../connection/connection.js'
import type { ServiceFactory, ServiceHost } from '../../node/service.js'
import type { Stream } from '../../stream/types.js'
import { UnsupportedTransportError } from '../errors.js'
import { answer } from './answer.js'
import { MAX_CONCURRENT_SIGNALING, MAX_INBOUND_SIGNALING_STREAMS, SIGNALING_PROTOCOL } from './constants.js'
import { NotListeningError, SignalingError } from './errors.js'
import { WebRTCTransport, announceDirect } from './transport.js'

export interface WebRTCOptions {
  /**
   * Passed to every RTCPeerConnection. Default `{ iceServers: [] }`: host
   * candidates only, which reach peers on the same network. Across NATs give
   * STUN servers (webrtc.md "STUN"), e.g. `{ iceServers: [{ urls: 'stun:stun.example.org' }] }`;
   * none is contacted unless named.
   */
  rtcConfiguration?: RTCConfiguration
  /** Default SIGNALING_TIMEOUT_MS. */
  signalingTimeoutMs?: number
  /** Signaling streams per relayed connection; default MAX_INBOUND_SIGNALING_STREAMS. */
  maxInboundSignalingStreams?: number
  /** Inbound signaling exchanges at once, from all peers; default MAX_CONCURRENT_SIGNALING. */
  maxConcurrentSignaling?: number
}

export interface WebRTCEvents {
  /** A direct connection is up (before the node upgrades it); `certificateChecked` as in ./fingerprint.ts. */
  'webrtc:connected': { peer: Connection['remotePeer'], direction: 'inbound' | 'outbound', certificateChecked: boolean }
  /** An inbound signaling exchange failed (a bad or silent remote, a failed ICE check). */
  'webrtc:signaling-failed': { peer: Connection['remotePeer'], error: Error }
}

/** True where this runtime has RTCPeerConnection (browsers). */
export function webRTCSupported (): boolean {
  return typeof (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection === 'function'
}

export class WebRTCService {
  readonly transport: WebRTCTransport
  readonly #host: ServiceHost
  readonly #options: WebRTCOptions
  readonly #rtcConfiguration: RTCConfiguration
  readonly #pending = new Set<AbortController>()

  constructor (host: ServiceHost, options: WebRTCOptions = {}) {
    if (!webRTCSupported()) throw new UnsupportedTransportError('WebRTC needs RTCPeerConnection, which this runtime does not have (it is a browser transport)')
    this.#host = host
    this.#options = options
    this.#rtcConfiguration = options.rtcConfiguration ?? { iceServers: [] }
    this.transport = new WebRTCTransport(host, {
      rtcConfiguration: this.#rtcConfiguration,
      ...(options.signalingTimeoutMs !== undefined ? { signalingTimeoutMs: options.signalingTimeoutMs } : {})
    })
    host.addTransport(this.transport)
  }

  start (): void {
    this.#host.handle(SIGNALING_PROTOCOL, async (stream, connection) => { await this.#onSignaling(stream, connection) },
      { maxInboundStreams: this.#options.maxInboundSignalingStreams ?? MAX_INBOUND_SIGNALING_STREAMS })
  }

  stop (): void {
    this.#host.unhandle(SIGNALING_PROTOCOL)
    for (const controller of this.#pending) controller.abort(new Error('node stopping'))
  }

  async #onSignaling (stream: Stream, connection: Connection): Promise<void> {
    const listener = [...this.transport.listeners][0]
    if (listener === undefined) {
      stream.abort(new NotListeningError('this node listens on no /p2p-circuit/webrtc address'))
      return
    }
    const max = this.#options.maxConcurrentSignaling ?? MAX_CONCURRENT_SIGNALING
    if (this.#pending.size >= max) {
      const error = new SignalingError(`${max} signaling exchanges already running`)
      stream.abort(error)
      this.#host.dispatchEvent(new CustomEvent('webrtc:signaling-failed', { detail: { peer: connection.remotePeer, error } }))
      return
    }
    const controller = new AbortController()
    this.#pending.add(controller)
    try {
      const raw = await answer(stream, connection, {
        rtcConfiguration: this.#rtcConfiguration,
        signal: controller.signal,
        ...(this.#options.signalingTimeoutMs !== undefined ? { signalingTimeoutMs: this.#options.signalingTimeoutMs } : {})
      })
      announceDirect(this.#host, raw, 'inbound')
      listener.onConnection(raw)
    } catch (err) {
      this.#host.dispatchEvent(new CustomEvent('webrtc:signaling-failed', { detail: { peer: connection.remotePeer, error: err as Error } }))
    } finally {
      this.#pending.delete(controller)
    }
  }
}

/** The WebRTC service factory (browsers only; see the header). */
export function webRTC (options: WebRTCOptions = {}): ServiceFactory<WebRTCService> {
  return { create: host => new WebRTCService(host, options) }
}
