/**
 * The connection's "muxer": every libp2p stream is its own RTCDataChannel
 * (README.md "RTCDataChannel negotiation": in-band, `negotiated: false`, label
 * ""), so there is no yamux; this only tracks streams and the peer connection.
 *
 * The factory exists from the moment the RTCPeerConnection does, because the
 * remote may open channels (identify, right after it connected) before our
 * side is upgraded: those are buffered, MAX_EARLY_STREAMS at most, and handed
 * to the muxer when the node creates it. The dialer's `init` channel (webrtc.md
 * step 4) is only for ICE and is left to the dialer to close.
 */
import type { StreamMuxer, StreamMuxerFactory, StreamMuxerOptions } from '../../muxer/types.js'
import type { ByteStream, Stream } from '../../stream/types.js'
import { INIT_CHANNEL_LABEL, MAX_EARLY_STREAMS, MAX_INBOUND_STREAMS, WEBRTC_MUXER_PROTOCOL } from './constants.js'
import { WebRTCConnectionFailedError, WebRTCStreamClosedError } from './errors.js'
import { ReceiveBudget } from './receive-budget.js'
import { DataChannelStream } from './stream.js'

export class DataChannelMuxerFactory implements StreamMuxerFactory {
  readonly protocol = WEBRTC_MUXER_PROTOCOL
  readonly #pc: RTCPeerConnection
  /** Shared by every stream of the connection, early ones included. */
  readonly #budget = new ReceiveBudget()
  #early: DataChannelStream[] = []
  #muxer: DataChannelMuxer | undefined
  #closed = false
  #nextId = 0

  constructor (pc: RTCPeerConnection) {
    this.#pc = pc
    pc.addEventListener('datachannel', event => { this.#onChannel(event.channel) })
  }

  /** `_connection` is the raw connection, which carries no bytes: the streams are the peer connection's channels. */
  create (_connection: ByteStream, options: StreamMuxerOptions): StreamMuxer {
    if (this.#muxer !== undefined) throw new Error('a WebRTC connection has one muxer')
    const muxer = this.#muxer = new DataChannelMuxer(this.#pc, options, () => `${this.#nextId++}`, this.#budget)
    const early = this.#early
    this.#early = []
    for (const stream of early) muxer.adopt(stream)
    return muxer
  }

  /** The upgrade failed or the connection closed before it: drop the buffered channels. */
  close (): void {
    this.#closed = true
    for (const stream of this.#early.splice(0)) stream.abort(new WebRTCStreamClosedError('connection closed before it was upgraded'))
  }

  #onChannel (channel: RTCDataChannel): void {
    if (channel.label === INIT_CHANNEL_LABEL && this.#muxer === undefined) return
    if (this.#muxer !== undefined) { this.#muxer.onChannel(channel); return }
    if (this.#closed || this.#early.length >= MAX_EARLY_STREAMS) {
      channel.close()
      return
    }
    this.#early.push(new DataChannelStream(channel, {
      id: `${this.#nextId++}`,
      direction: 'inbound',
      budget: this.#budget,
      onDone: s => { this.#early = this.#early.filter(e => e !== s); this.#muxer?.forget(s) }
    }))
  }
}

export class DataChannelMuxer implements StreamMuxer {
  readonly protocol = WEBRTC_MUXER_PROTOCOL
  readonly #pc: RTCPeerConnection
  readonly #options: StreamMuxerOptions
  readonly #nextId: () => string
  readonly #streams = new Set<DataChannelStream>()
  readonly #budget: ReceiveBudget
  #closed = false

  constructor (pc: RTCPeerConnection, options: StreamMuxerOptions, nextId: () => string, budget: ReceiveBudget) {
    this.#pc = pc
    this.#budget = budget
    this.#options = options
    this.#nextId = nextId
    const onState = (): void => {
      const state = pc.connectionState
      if (state === 'failed' || state === 'closed') this.abort(new WebRTCConnectionFailedError(`the peer connection is ${state}`))
    }
    pc.addEventListener('connectionstatechange', onState)
    // The remote's close() ends the SCTP association at once; ICE would notice only after its consent timeout.
    pc.sctp?.addEventListener('statechange', () => {
      if (pc.sctp?.state === 'closed') this.abort(new WebRTCConnectionFailedError('the remote closed the SCTP association'))
    })
    onState()
  }

  get streams (): readonly Stream[] { return [...this.#streams] }

  async newStream (): Promise<Stream> {
    if (this.#closed) throw new WebRTCStreamClosedError('the connection is closed')
    // Spec: the label MUST be the empty string; ordered, in-band negotiated (the defaults).
    const stream = new DataChannelStream(this.#pc.createDataChannel(''), {
      id: this.#nextId(),
      direction: 'outbound',
      budget: this.#budget,
      onDone: s => { this.forget(s) }
    })
    this.#streams.add(stream)
    return stream
  }

  /** @internal An inbound channel after the upgrade. */
  onChannel (channel: RTCDataChannel): void {
    if (this.#closed || channel.label === INIT_CHANNEL_LABEL) { if (channel.label !== INIT_CHANNEL_LABEL) channel.close(); return }
    let inbound = 0
    for (const s of this.#streams) if (s.direction === 'inbound') inbound++
    if (inbound >= MAX_INBOUND_STREAMS) { channel.close(); return }
    this.adopt(new DataChannelStream(channel, { id: this.#nextId(), direction: 'inbound', budget: this.#budget, onDone: s => { this.forget(s) } }))
  }

  /** @internal */
  adopt (stream: DataChannelStream): void {
    this.#streams.add(stream)
    this.#options.onIncomingStream(stream)
  }

  /** @internal */
  forget (stream: DataChannelStream): void {
    this.#streams.delete(stream)
  }

  async close (): Promise<void> {
    if (this.#closed) return
    await Promise.all([...this.#streams].map(async s => { await s.close() }))
    this.#end()
  }

  abort (err: Error): void {
    if (this.#closed) return
    for (const s of [...this.#streams]) s.abort(err)
    this.#end(err)
  }

  #end (err?: Error): void {
    if (this.#closed) return
    this.#closed = true
    this.#pc.close()
    this.#options.onClose?.(err)
  }
}
