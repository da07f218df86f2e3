/**
 * Reservation vouchers (circuit-v2.md "Reservation Vouchers"): the relay's
 * signed statement that it serves the reserving peer until `expiration`.
 * A signed envelope (RFC 0002) with domain `libp2p-relay-rsvp` and payload
 * type 0x0302 over the canonical protobuf
 *
 *   message Voucher { bytes relay = 1; bytes peer = 2; uint64 expiration = 3; }
 *
 * The spec calls vouchers advisory; a client still checks the one it gets
 * (signed by the relay it reserved on, for itself), so a relay answer that
 * is not what it claims is caught at once (InvalidVoucherError).
 */
import { equalBytes } from '../keys/_bytes.js'
import type { PrivateKey } from '../keys/types.js'
import { peerIdFromMultihash, peerIdFromPublicKey } from '../peer-id/from.js'
import type { PeerId } from '../peer-id/types.js'
import { ProtoReader, ProtoWriter } from '../protobuf/index.js'
import { RecordEnvelope, type SealableRecord } from '../record/envelope.js'
import { VOUCHER_CODEC, VOUCHER_DOMAIN } from './constants.js'
import { InvalidVoucherError } from './errors.js'

export class ReservationVoucher implements SealableRecord {
  readonly domain = VOUCHER_DOMAIN
  readonly codec = VOUCHER_CODEC
  readonly relay: PeerId
  readonly peer: PeerId
  /** UTC UNIX time in seconds. */
  readonly expiration: bigint

  constructor (init: { relay: PeerId, peer: PeerId, expiration: bigint }) {
    this.relay = init.relay
    this.peer = init.peer
    this.expiration = init.expiration
  }

  marshal (): Uint8Array {
    return new ProtoWriter().bytes(1, this.relay.multihash).bytes(2, this.peer.multihash).uint64(3, this.expiration).finish()
  }

  static decode (bytes: Uint8Array): ReservationVoucher {
    let relay: Uint8Array | undefined
    let peer: Uint8Array | undefined
    let expiration: bigint | undefined
    try {
      const r = new ProtoReader(bytes)
      while (r.next()) {
        switch (r.field) {
          case 1: relay = r.bytes(); break
          case 2: peer = r.bytes(); break
          case 3: expiration = r.uint64(); break
          default: r.skipField()
        }
      }
      if (relay === undefined || peer === undefined || expiration === undefined) throw new InvalidVoucherError('voucher lacks relay, peer or expiration')
      return new ReservationVoucher({ relay: peerIdFromMultihash(relay.slice()), peer: peerIdFromMultihash(peer.slice()), expiration })
    } catch (err) {
      if (err instanceof InvalidVoucherError) throw err
      throw new InvalidVoucherError(`malformed voucher: ${(err as Error).message}`)
    }
  }
}

/** The encoded envelope of a voucher signed with the relay's key. */
export async function sealVoucher (voucher: ReservationVoucher, relayKey: PrivateKey): Promise<Uint8Array> {
  return (await RecordEnvelope.seal(voucher, relayKey)).marshal()
}

/**
 * Opens a voucher envelope and checks it: the signature verifies for
 * VOUCHER_DOMAIN, the payload type is a voucher, the signer is the relay
 * the voucher names and the one we expect, the voucher is for `peer`, and
 * (when given) it expires when the reservation says. InvalidVoucherError otherwise.
 */
export async function openVoucher (bytes: Uint8Array, expected: { relay: PeerId, peer: PeerId, expiration?: bigint }): Promise<ReservationVoucher> {
  let envelope: RecordEnvelope
  try {
    envelope = await RecordEnvelope.openAndCertify(bytes, VOUCHER_DOMAIN)
  } catch (err) {
    throw new InvalidVoucherError(`voucher envelope: ${(err as Error).message}`)
  }
  if (!equalBytes(envelope.payloadType, VOUCHER_CODEC)) throw new InvalidVoucherError('envelope payload is not a reservation voucher')
  const voucher = ReservationVoucher.decode(envelope.payload)
  if (!voucher.relay.equals(peerIdFromPublicKey(envelope.publicKey))) throw new InvalidVoucherError('voucher is not signed by the relay it names')
  if (!voucher.relay.equals(expected.relay)) throw new InvalidVoucherError(`voucher names relay ${voucher.relay.toString()}, not ${expected.relay.toString()}`)
  if (!voucher.peer.equals(expected.peer)) throw new InvalidVoucherError(`voucher is for ${voucher.peer.toString()}, not ${expected.peer.toString()}`)
  if (expected.expiration !== undefined && voucher.expiration !== expected.expiration) throw new InvalidVoucherError('voucher expiration differs from the reservation')
  return voucher
}
