/**
 * Noise HandshakeState (Noise §5.3) for the XX pattern (§7.5), DH 25519:
 *
 *     XX:
 *       -> e
 *       <- e, ee, s, es
 *       -> s, se
 *
 * The pattern is interpreted token by token exactly as §5.3 describes, so the
 * code reads against the spec. Ephemeral keys are generated on demand, or can
 * be fixed up front for test vectors. Any failure (short message, failed
 * authentication, a DH refused for a low-order point) is a NoiseHandshakeError.
 */
import { concatBytes } from './_bytes.js'
import { x25519 } from './_deps.js'
import { DH_LENGTH, NOISE_PROTOCOL_NAME, TAG_LENGTH } from './constants.js'
import type { CipherState } from './cipher-state.js'
import { NoiseDecryptionError, NoiseHandshakeError } from './errors.js'
import { SymmetricState } from './symmetric-state.js'

export type Token = 'e' | 's' | 'ee' | 'es' | 'se' | 'ss'

/** Message patterns of XX; even indexes are sent by the initiator. */
export const XX_PATTERN: ReadonlyArray<readonly Token[]> = [['e'], ['e', 'ee', 's', 'es'], ['s', 'se']]

export interface DHKeyPair {
  readonly privateKey: Uint8Array
  readonly publicKey: Uint8Array
}

export interface HandshakeStateInit {
  initiator: boolean
  /** Our static key pair `s`. */
  staticKeyPair: DHKeyPair
  /** Empty for noise-libp2p. */
  prologue?: Uint8Array
  /** A fixed ephemeral key pair `e`, for test vectors only; normally generated when sent. */
  ephemeralKeyPair?: DHKeyPair
  /** Protocol name, for test vectors of other patterns' names; default noise-libp2p's. */
  protocolName?: string
}

export interface TransportCipherStates {
  send: CipherState
  receive: CipherState
}

const encoder = new TextEncoder()

export class HandshakeState {
  readonly initiator: boolean
  readonly #symmetric: SymmetricState
  readonly #s: DHKeyPair
  #e: DHKeyPair | undefined
  #rs: Uint8Array | undefined
  #re: Uint8Array | undefined
  #messageIndex = 0

  constructor (init: HandshakeStateInit) {
    this.initiator = init.initiator
    this.#symmetric = new SymmetricState(encoder.encode(init.protocolName ?? NOISE_PROTOCOL_NAME))
    this.#symmetric.mixHash(init.prologue ?? new Uint8Array(0))
    this.#s = init.staticKeyPair
    this.#e = init.ephemeralKeyPair
  }

  /** The remote's static public key, once its `s` token has been read. */
  get remoteStaticKey (): Uint8Array | undefined { return this.#rs }

  get handshakeHash (): Uint8Array { return this.#symmetric.handshakeHash }

  get isComplete (): boolean { return this.#messageIndex === XX_PATTERN.length }

  /** True when the next message is ours to write. */
  get isOurTurn (): boolean { return (this.#messageIndex % 2 === 0) === this.initiator }

  /** `WriteMessage(payload)`: the handshake message to send. */
  async writeMessage (payload: Uint8Array): Promise<Uint8Array> {
    const pattern = this.#nextPattern(true)
    const parts: Uint8Array[] = []
    for (const token of pattern) {
      switch (token) {
        case 'e': {
          this.#e ??= await x25519.generateKeyPair()
          parts.push(this.#e.publicKey)
          this.#symmetric.mixHash(this.#e.publicKey)
          break
        }
        case 's':
          parts.push(this.#symmetric.encryptAndHash(this.#s.publicKey))
          break
        default:
          await this.#mixDH(token)
      }
    }
    parts.push(this.#symmetric.encryptAndHash(payload))
    return concatBytes(parts)
  }

  /** `ReadMessage(message)`: the decrypted payload. */
  async readMessage (message: Uint8Array): Promise<Uint8Array> {
    const pattern = this.#nextPattern(false)
    let offset = 0
    const take = (length: number, what: string): Uint8Array => {
      if (message.length - offset < length) {
        throw new NoiseHandshakeError(`handshake message ${this.#messageIndex} is ${message.length} bytes, too short for ${what}`)
      }
      const part = message.subarray(offset, offset + length)
      offset += length
      return part
    }
    for (const token of pattern) {
      switch (token) {
        case 'e':
          this.#re = take(DH_LENGTH, 'the ephemeral key').slice()
          this.#symmetric.mixHash(this.#re)
          break
        case 's': {
          const length = this.#symmetric.cipher.hasKey() ? DH_LENGTH + TAG_LENGTH : DH_LENGTH
          this.#rs = this.#decrypt(take(length, 'the static key'), 'static key')
          break
        }
        default:
          await this.#mixDH(token)
      }
    }
    if (this.#symmetric.cipher.hasKey() && message.length - offset < TAG_LENGTH) {
      throw new NoiseHandshakeError(`handshake message ${this.#messageIndex} is too short for its payload tag`)
    }
    return this.#decrypt(message.subarray(offset), 'payload')
  }

  /** `Split()` once the last message is processed: the transport CipherStates, oriented for this side. */
  split (): TransportCipherStates {
    if (!this.isComplete) throw new NoiseHandshakeError('split before the handshake completed')
    const [initiatorToResponder, responderToInitiator] = this.#symmetric.split()
    return this.initiator
      ? { send: initiatorToResponder, receive: responderToInitiator }
      : { send: responderToInitiator, receive: initiatorToResponder }
  }

  #nextPattern (writing: boolean): readonly Token[] {
    const pattern = XX_PATTERN[this.#messageIndex]
    if (pattern === undefined) throw new NoiseHandshakeError('the handshake is already complete')
    if (writing !== this.isOurTurn) {
      throw new NoiseHandshakeError(`message ${this.#messageIndex + 1} is the ${writing ? 'remote' : 'local'} side's to send`)
    }
    this.#messageIndex++
    return pattern
  }

  #decrypt (ciphertext: Uint8Array, what: string): Uint8Array {
    try {
      return this.#symmetric.decryptAndHash(ciphertext)
    } catch (err) {
      if (err instanceof NoiseDecryptionError) {
        throw new NoiseHandshakeError(`handshake message ${this.#messageIndex}: the ${what} failed authentication`, { cause: err })
      }
      throw err
    }
  }

  /** `ee`, `es`, `se`, `ss`: which local key meets which remote key depends on the role (§5.3). */
  async #mixDH (token: Exclude<Token, 'e' | 's'>): Promise<void> {
    const localEphemeral = token === 'ee' || (token === 'es' ? this.initiator : token === 'se' ? !this.initiator : false)
    const remoteEphemeral = token === 'ee' || (token === 'es' ? !this.initiator : token === 'se' ? this.initiator : false)
    const local = localEphemeral ? this.#e : this.#s
    const remote = remoteEphemeral ? this.#re : this.#rs
    if (local === undefined || remote === undefined) throw new NoiseHandshakeError(`token ${token} before its keys are known`)
    let shared: Uint8Array
    try {
      shared = await x25519.sharedSecret(local.privateKey, remote)
    } catch (err) {
      throw new NoiseHandshakeError(`X25519 refused the remote ${remoteEphemeral ? 'ephemeral' : 'static'} key`, { cause: err })
    }
    this.#symmetric.mixKey(shared)
  }
}
