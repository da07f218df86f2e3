/**
 * The WebRTC transport as the node sees it: dials `…/p2p-circuit/webrtc/p2p/B`
 * (./initiate.ts) and listens on `…/p2p-circuit/webrtc` (reserving on the
 * relay through the circuit relay transport, then answering signaling
 * streams, ./answer.ts). What it yields is already secured and muxed
 * (RawConnection.secured), so the node only gates and registers it.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { ServiceHost } from '../../node/service.js'
import type { DialOptions, Listener, ListenerOptions, RawConnection, Transport } from '../types.js'
import { withoutPeerId } from '../../multiaddr/index.js'
import { webRTCParts, parseWebRTCAddr } from './addresses.js'
import { initiate } from './initiate.js'
import type { WebRTCRawConnection } from './raw-connection.js'

/** Tells the node's listeners a direct connection is up (the `webrtc:connected` event of ./service.ts). */
export function announceDirect (host: ServiceHost, raw: WebRTCRawConnection, direction: 'inbound' | 'outbound'): void {
  host.dispatchEvent(new CustomEvent('webrtc:connected', { detail: { peer: raw.secured.remotePeer, direction, certificateChecked: raw.certificateChecked } }))
}

export interface WebRTCTransportInit {
  rtcConfiguration: RTCConfiguration
  signalingTimeoutMs?: number
}

export class WebRTCListener implements Listener {
  readonly onConnection: (connection: RawConnection) => void
  readonly #host: ServiceHost
  readonly #listeners: Set<WebRTCListener>
  #addr: Multiaddr | undefined

  constructor (host: ServiceHost, listeners: Set<WebRTCListener>, onConnection: (connection: RawConnection) => void) {
    this.#host = host
    this.#listeners = listeners
    this.onConnection = onConnection
  }

  /** Reserves on the relay (unless the node already listens through it), then takes signaling streams. */
  async listen (addr: Multiaddr): Promise<void> {
    const { circuitAddr } = parseWebRTCAddr(addr)
    const reserved = this.#host.getMultiaddrs().some(a => withoutPeerId(a).equals(circuitAddr))
    if (!reserved) await this.#host.listen(circuitAddr)
    this.#addr = addr
    this.#listeners.add(this)
  }

  getAddrs (): Multiaddr[] { return this.#addr !== undefined ? [this.#addr] : [] }

  async close (): Promise<void> {
    this.#listeners.delete(this)
    this.#addr = undefined
  }
}

export class WebRTCTransport implements Transport {
  readonly name = 'webrtc'
  /** Listening WebRTC listeners: where inbound signaling hands its connections. */
  readonly listeners = new Set<WebRTCListener>()
  readonly #host: ServiceHost
  readonly #init: WebRTCTransportInit

  constructor (host: ServiceHost, init: WebRTCTransportInit) {
    this.#host = host
    this.#init = init
  }

  async dial (addr: Multiaddr, options: DialOptions = {}): Promise<RawConnection> {
    const raw = await initiate(this.#host, addr, {
      rtcConfiguration: this.#init.rtcConfiguration,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(this.#init.signalingTimeoutMs !== undefined ? { signalingTimeoutMs: this.#init.signalingTimeoutMs } : {})
    })
    announceDirect(this.#host, raw, 'outbound')
    return raw
  }

  createListener (options: ListenerOptions): Listener {
    return new WebRTCListener(this.#host, this.listeners, options.onConnection)
  }

  /** `<relay>/p2p/R/p2p-circuit/webrtc/p2p/B`. */
  dialFilter (addrs: Multiaddr[]): Multiaddr[] {
    return addrs.filter(a => webRTCParts(a)?.target !== undefined)
  }

  /** `<relay>/p2p/R/p2p-circuit/webrtc`. */
  listenFilter (addrs: Multiaddr[]): Multiaddr[] {
    return addrs.filter(a => { const parts = webRTCParts(a); return parts !== undefined && parts.target === undefined })
  }
}
