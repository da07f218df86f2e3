/**
 * What both sides of the signaling exchange share (webrtc.md "Connection
 * Establishment" steps 4 to 8): length-prefixed messages on the signaling
 * stream, trickle ICE in both directions until the peer connection is
 * connected, and one deadline (SIGNALING_TIMEOUT_MS) that closes the peer
 * connection and resets the stream when it expires.
 */
import type { Stream } from '../../stream/types.js'
import { ByteReader } from '../../stream/byte-reader.js'
import { writeLengthPrefixed } from '../../stream/length-prefixed.js'
import { MAX_REMOTE_ICE_CANDIDATES, MAX_SIGNALING_MESSAGE_SIZE, SIGNALING_TIMEOUT_MS } from './constants.js'
import { MalformedSignalingMessageError, SignalingError, WebRTCConnectionFailedError } from './errors.js'
import { SignalingType, decodeSignalingMessage, encodeSignalingMessage, type SignalingMessage } from './signaling-message.js'

export class SignalingChannel {
  readonly stream: Stream
  readonly #reader: ByteReader
  #writes: Promise<void> = Promise.resolve()

  constructor (stream: Stream) {
    this.stream = stream
    this.#reader = new ByteReader(stream)
  }

  /** The next message, or undefined once the remote closed its side. */
  async read (): Promise<SignalingMessage | undefined> {
    let bytes: Uint8Array
    try {
      bytes = await this.#reader.readLengthPrefixed(MAX_SIGNALING_MESSAGE_SIZE)
    } catch (err) {
      if (err instanceof RangeError) throw new MalformedSignalingMessageError(err.message)
      if ((err as Error).name === 'UnexpectedEndError' && this.#reader.bufferedLength === 0) return undefined
      throw err
    }
    return decodeSignalingMessage(bytes)
  }

  /** Writes in call order (ICE candidates are sent from event handlers). */
  async write (m: SignalingMessage): Promise<void> {
    const run = this.#writes.then(async () => { await writeLengthPrefixed(this.stream, encodeSignalingMessage(m)) })
    this.#writes = run.catch(() => {})
    await run
  }

  /** Reads one message of `type` with data (an SDP). */
  async expect (type: number, what: string): Promise<string> {
    const m = await this.read()
    if (m === undefined) throw new SignalingError(`the remote closed the signaling stream before its ${what}`)
    if (m.type !== type || m.data === undefined) throw new SignalingError(`expected the ${what}, got a message of type ${String(m.type)}`)
    return m.data
  }
}

/** Sends our ICE candidates as the browser finds them (an empty or null candidate ends a generation: not sent). */
export function trickleCandidates (pc: RTCPeerConnection, channel: SignalingChannel): void {
  pc.addEventListener('icecandidate', event => {
    const candidate = event.candidate
    if (candidate === null || candidate.candidate === '' || pc.connectionState === 'connected') return
    channel.write({ type: SignalingType.ICE_CANDIDATE, data: JSON.stringify(candidate.toJSON()) }).catch(() => {})
  })
}

/** Resolves when `pc` is connected; rejects if it fails or closes first. */
export async function connected (pc: RTCPeerConnection): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      const state = pc.connectionState
      if (state === 'connected') { pc.removeEventListener('connectionstatechange', check); resolve() }
      if (state === 'failed' || state === 'closed') { pc.removeEventListener('connectionstatechange', check); reject(new WebRTCConnectionFailedError(`the peer connection became ${state}`)) }
    }
    pc.addEventListener('connectionstatechange', check)
    check()
  })
}

/**
 * Adds the remote's candidates until the peer connection is connected (step
 * 7). The remote may close its side first (it connected sooner): then only
 * the connection is awaited. At most MAX_REMOTE_ICE_CANDIDATES are taken.
 */
export async function receiveCandidates (pc: RTCPeerConnection, channel: SignalingChannel): Promise<void> {
  const up = connected(pc)
  up.catch(() => {})
  let count = 0
  let reading = true
  while (reading) {
    const next = await Promise.race([up.then(() => 'connected' as const), channel.read()])
    if (next === 'connected') return
    if (next === undefined) { reading = false; continue }
    if (next.type !== SignalingType.ICE_CANDIDATE) throw new SignalingError(`expected an ICE candidate, got a message of type ${String(next.type)}`)
    if (++count > MAX_REMOTE_ICE_CANDIDATES) throw new SignalingError(`more than ${MAX_REMOTE_ICE_CANDIDATES} ICE candidates`)
    let init: unknown
    try { init = JSON.parse(next.data ?? 'null') } catch { throw new MalformedSignalingMessageError('an ICE candidate that is not JSON') }
    // null, or an empty candidate: the end of the remote's candidates (of one generation).
    if (init === null || init === '' || (typeof init === 'object' && (init as RTCIceCandidateInit).candidate === '')) continue
    if (typeof init !== 'object' || typeof (init as RTCIceCandidateInit).candidate !== 'string') throw new MalformedSignalingMessageError('an ICE candidate without a candidate string')
    // A candidate the browser rejects is the remote's problem, not a reason to fail: ICE uses the others.
    await pc.addIceCandidate(init as RTCIceCandidateInit).catch(() => {})
  }
  await up
}

/**
 * Runs `work` under SIGNALING_TIMEOUT_MS and the caller's signal: on expiry
 * or abort the peer connection is closed, the stream reset and the returned
 * promise rejected at once. The rejection does not wait for `work` to fail:
 * `RTCPeerConnection.close()` closes its data channels without firing their
 * events (W3C webrtc-pc, "close the connection"), so a `work` waiting on a
 * channel event would otherwise never settle.
 */
export async function withSignalingDeadline<T> (pc: RTCPeerConnection, stream: Stream, signal: AbortSignal | undefined, timeoutMs: number | undefined, work: () => Promise<T>): Promise<T> {
  const ms = timeoutMs ?? SIGNALING_TIMEOUT_MS
  let reason: Error | undefined
  let rejectNow: (err: Error) => void = () => {}
  const expired = new Promise<never>((_resolve, reject) => { rejectNow = reject })
  const fail = (err: Error): void => {
    if (reason !== undefined) return
    reason = err
    pc.close()
    stream.abort(err)
    rejectNow(err)
  }
  const timer = setTimeout(() => { fail(new SignalingError(`signaling took longer than ${ms} ms`)) }, ms)
  const onAbort = (): void => { fail(signal?.reason instanceof Error ? signal.reason : new SignalingError('signaling aborted')) }
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    if (signal?.aborted === true) onAbort()
    const working = work()
    working.catch(() => {})
    return await Promise.race([working, expired])
  } catch (err) {
    throw reason ?? err
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}
