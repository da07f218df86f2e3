/**
 * The HolePunch message (DCUtR.md "RPC messages"), varint-length-prefixed:
 *
 *   message HolePunch { enum Type { CONNECT = 100; SYNC = 300; } required Type type = 1; repeated bytes ObsAddrs = 2; }
 */
import { ProtoReader, ProtoWriter, ProtobufError } from '../protobuf/index.js'
import { MAX_DCUTR_ADDRS, MAX_DCUTR_MESSAGE_SIZE } from './constants.js'
import { MalformedDcutrMessageError } from './errors.js'

export const HolePunchType = Object.freeze({ CONNECT: 100, SYNC: 300 })

export interface HolePunch {
  type: number
  obsAddrs: Uint8Array[]
}

export function encodeHolePunch (m: HolePunch): Uint8Array {
  const w = new ProtoWriter().uint32(1, m.type)
  for (const a of m.obsAddrs) w.bytes(2, a)
  return w.finish()
}

export function decodeHolePunch (bytes: Uint8Array): HolePunch {
  let type: number | undefined
  const obsAddrs: Uint8Array[] = []
  try {
    const r = new ProtoReader(bytes, { maxSize: MAX_DCUTR_MESSAGE_SIZE })
    while (r.next()) {
      switch (r.field) {
        case 1: type = r.uint32(); break
        case 2:
          if (obsAddrs.length >= MAX_DCUTR_ADDRS) throw new MalformedDcutrMessageError(`more than ${MAX_DCUTR_ADDRS} addresses`)
          obsAddrs.push(r.bytes().slice())
          break
        default: r.skipField()
      }
    }
  } catch (err) {
    if (err instanceof ProtobufError) throw new MalformedDcutrMessageError(`malformed HolePunch: ${err.message}`)
    throw err
  }
  if (type === undefined) throw new MalformedDcutrMessageError('HolePunch without a type')
  return { type, obsAddrs }
}
