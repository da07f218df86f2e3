/**
 * noise-libp2p (../shared/specs/libp2p/noise/README.md): the `/noise`
 * connection encrypter. `noise()` returns a ConnectionEncrypter that runs the
 * Noise_XX_25519_ChaChaPoly_SHA256 handshake with libp2p identity payloads and
 * early muxer negotiation, then wraps the connection in encrypted frames.
 *
 * One static Noise key per encrypter, made on first use (the spec allows one
 * per session or one per node; "SHOULD NOT" be stored), and its identity
 * signature cached per private key, so a handshake costs one X25519 keygen
 * (the ephemeral) and no identity signing.
 */
import type { PrivateKey } from '../../keys/types.js'
import type { ByteStream } from '../../stream/types.js'
import { ByteReader } from '../../stream/byte-reader.js'
import type { ConnectionEncrypter, SecureOptions, SecuredConnection } from '../types.js'
import { publicKeyToProtobuf, x25519 } from './_deps.js'
import { HANDSHAKE_TIMEOUT_MS, NOISE_PROTOCOL_ID } from './constants.js'
import { NoiseHandshakeAbortedError, NoiseHandshakeError, NoiseHandshakeTimeoutError } from './errors.js'
import { performHandshake, type HandshakeResult, type LocalIdentity } from './handshake.js'
import type { DHKeyPair } from './handshake-state.js'
import { signStaticKey } from './identity.js'
import { NoiseSecuredStream } from './secured-stream.js'

export interface NoiseInit {
  /** Time allowed for the whole handshake, in milliseconds; default HANDSHAKE_TIMEOUT_MS (10 s). */
  handshakeTimeoutMs?: number
}

export interface NoiseSecuredConnection extends SecuredConnection {
  /** The final handshake hash `h`, the same on both sides (Noise §11.2 channel binding). */
  handshakeHash: Uint8Array
}

class NoiseEncrypter implements ConnectionEncrypter {
  readonly protocol = NOISE_PROTOCOL_ID
  readonly #handshakeTimeoutMs: number
  #staticKeyPair: Promise<DHKeyPair> | undefined
  readonly #identities = new WeakMap<PrivateKey, Promise<LocalIdentity>>()

  constructor (init: NoiseInit) {
    const timeout = init.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS
    if (!(timeout > 0)) throw new RangeError(`handshakeTimeoutMs must be positive, got ${timeout}`)
    this.#handshakeTimeoutMs = timeout
  }

  async secureOutbound (connection: ByteStream, options: SecureOptions): Promise<NoiseSecuredConnection> {
    return await this.#secure(true, connection, options)
  }

  async secureInbound (connection: ByteStream, options: SecureOptions): Promise<NoiseSecuredConnection> {
    return await this.#secure(false, connection, options)
  }

  async #localIdentity (privateKey: PrivateKey): Promise<LocalIdentity> {
    let identity = this.#identities.get(privateKey)
    if (identity === undefined) {
      const staticKeyPair = this.#staticKeyPair ??= x25519.generateKeyPair()
      staticKeyPair.catch(() => { if (this.#staticKeyPair === staticKeyPair) this.#staticKeyPair = undefined })
      identity = (async () => {
        const keyPair = await staticKeyPair
        return {
          staticKeyPair: keyPair,
          identityKey: publicKeyToProtobuf(privateKey.publicKey),
          identitySig: await signStaticKey(privateKey, keyPair.publicKey)
        }
      })()
      this.#identities.set(privateKey, identity)
      // A failed key generation or signing must not poison later handshakes.
      identity.catch(() => { this.#identities.delete(privateKey) })
    }
    return await identity
  }

  async #secure (initiator: boolean, connection: ByteStream, options: SecureOptions): Promise<NoiseSecuredConnection> {
    const reader = new ByteReader(connection)
    const handshake = withDeadline(connection, this.#handshakeTimeoutMs, options.signal, async () => await performHandshake({
      initiator,
      connection,
      reader,
      local: await this.#localIdentity(options.privateKey),
      remotePeer: options.remotePeer,
      streamMuxers: options.streamMuxers ?? []
    }))
    const result: HandshakeResult = await handshake
    const stream = new NoiseSecuredStream(connection, reader.rest(), result.send, result.receive)
    const secured: NoiseSecuredConnection = { stream, remotePeer: result.remotePeer, handshakeHash: result.handshakeHash }
    if (result.streamMuxer !== undefined) secured.streamMuxer = result.streamMuxer
    if (result.remoteExtensions?.earlyFin === true) secured.earlyFin = true
    return secured
  }
}

/**
 * Runs the handshake against the timeout and the caller's signal. Whatever
 * ends it early aborts the connection, so the pending read rejects and no
 * half-done handshake is left behind; every failure is a NoiseHandshakeError.
 */
async function withDeadline<T> (connection: ByteStream, timeoutMs: number, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  if (signal?.aborted === true) {
    const err = new NoiseHandshakeAbortedError('the handshake was aborted before it started', { cause: signal.reason })
    connection.abort(err)
    throw err
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  let onAbort: (() => void) | undefined
  const interrupted = new Promise<never>((_resolve, reject) => {
    const fail = (err: NoiseHandshakeError): void => { connection.abort(err); reject(err) }
    timer = setTimeout(() => { fail(new NoiseHandshakeTimeoutError(`the handshake did not complete within ${timeoutMs} ms`)) }, timeoutMs)
    onAbort = () => { fail(new NoiseHandshakeAbortedError('the handshake was aborted', { cause: signal?.reason })) }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
  const running = run().catch((err: unknown) => {
    const failure = err instanceof NoiseHandshakeError ? err : new NoiseHandshakeError(`handshake failed: ${(err as Error)?.message ?? String(err)}`, { cause: err })
    connection.abort(failure)
    throw failure
  })
  try {
    return await Promise.race([running, interrupted])
  } finally {
    clearTimeout(timer)
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort)
    // Whichever lost the race may still settle; its outcome is already accounted for.
    running.catch(() => {})
    interrupted.catch(() => {})
  }
}

/** The `/noise` connection encrypter. */
export function noise (init: NoiseInit = {}): ConnectionEncrypter {
  return new NoiseEncrypter(init)
}

export { NOISE_PROTOCOL_ID, NOISE_PROTOCOL_NAME, HANDSHAKE_TIMEOUT_MS, MAX_NOISE_MESSAGE_LENGTH, MAX_PLAINTEXT_LENGTH, MAX_EXTENSION_ENTRIES } from './constants.js'
export {
  NoiseHandshakeError, UnexpectedPeerError, InvalidSignatureError, NoCommonMuxerError, NoiseHandshakeTimeoutError,
  NoiseHandshakeAbortedError, NoiseDecryptionError, NonceExhaustedError, TruncatedFrameError
} from './errors.js'
