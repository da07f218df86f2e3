/**
 * A PeerId: the multihash of a public key's protobuf (peer-ids spec, "Peer
 * Ids"), shown as base58btc (`12D3KooW…` for inlined Ed25519 keys, `Qm…` for
 * hashed ones) and convertible to a CIDv1 with the libp2p-key codec
 * (RFC 0001). Immutable; build one with the functions of ./from.ts.
 */
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { base58btc } from 'multiformats/bases/base58'
import type { KeyType, PublicKey } from '../keys/types.js'
import type { PeerId } from './types.js'
import { LIBP2P_KEY_CODEC, multihashFromText } from './text.js'
import { equalBytes } from '../keys/_bytes.js'

const ascii = new TextEncoder()
const flatText = new TextDecoder()

/**
 * The base58btc text as one flat string. The encoder appends a character at a
 * time, which V8 keeps as a rope of one node per append (about 1 KiB for a
 * 52-character PeerId); the text lives as long as the PeerId, which a node keeps
 * for every connected peer (bench/e2e.js memory rows), so it is copied flat once.
 */
function base58Text (multihash: Uint8Array): string {
  return flatText.decode(ascii.encode(base58btc.baseEncode(multihash)))
}

export class PeerIdImpl implements PeerId {
  private text: string | undefined

  constructor (
    readonly type: KeyType,
    readonly multihash: Uint8Array,
    readonly publicKey: PublicKey | undefined
  ) {}

  toString (): string {
    this.text ??= base58Text(this.multihash)
    return this.text
  }

  toJSON (): string {
    return this.toString()
  }

  toCID (): CID {
    return CID.createV1(LIBP2P_KEY_CODEC, Digest.decode(this.multihash))
  }

  equals (other: PeerId | string | undefined): boolean {
    if (other === undefined || other === null) return false
    if (typeof other === 'string') {
      if (other === this.toString()) return true
      try {
        return equalBytes(multihashFromText(other), this.multihash)
      } catch {
        return false
      }
    }
    if (other.multihash instanceof Uint8Array) return equalBytes(other.multihash, this.multihash)
    // A PeerId from elsewhere (e.g. js-libp2p's, which has no `multihash` bytes) compares by its text.
    return typeof other.toString === 'function' && other.toString() === this.toString()
  }

  get [Symbol.toStringTag] (): string {
    return `PeerId(${this.toString()})`
  }
}
