// Unsigned varints (multiformats unsigned-varint) as two readers take them
// off the network: ByteReader.readVarint (multistream, length prefixes; ≤ 9
// bytes, minimal, ≤ 2^53) and the protobuf reader (≤ 10 bytes, uint64). Any
// value a reader returns must be the one the bytes encode, per a reference
// BigInt decoder written here.
import { ByteReader } from '../../dist/stream/byte-reader.js'
import { ProtoReader } from '../../dist/protobuf/index.js'
import { encodeVarint } from '../mutate.js'
import { check, parseOrNamed, parseOrNamedAsync } from '../named.js'

/** Reference: the value and length of the varint at the start of `bytes`, or undefined if it never ends. */
function reference (bytes) {
  let value = 0n
  for (let i = 0; i < bytes.length; i++) {
    value |= BigInt(bytes[i] & 0x7f) << BigInt(7 * i)
    if ((bytes[i] & 0x80) === 0) return { value, length: i + 1 }
  }
  return undefined
}

export default {
  name: 'varint',
  covers: 'unsigned varints: ByteReader.readVarint (multistream, length prefixes) and the protobuf reader',
  async setup () {
    const seeds = [0, 1, 127, 128, 300, 16383, 16384, 2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1, 2 ** 63, 2 ** 64 - 1].map(v => encodeVarint(v))
    seeds.push(Uint8Array.of(0x80, 0x00), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01))
    return { seeds, ctx: {} }
  },
  async run (input) {
    const ref = reference(input)
    const viaReader = await parseOrNamedAsync(async () => {
      const reader = new ByteReader((async function * () { yield input.subarray(0, 3); yield input.subarray(3) })())
      return { value: await reader.readVarint(), left: reader.bufferedLength }
    }, 'ByteReader.readVarint')
    if (viaReader !== undefined) {
      check(ref !== undefined && BigInt(viaReader.value) === ref.value, `readVarint returned ${viaReader.value}, the bytes encode ${ref?.value}`)
      check(ref.length <= 9 && ref.value < 2n ** 53n, 'readVarint accepted a varint past its limits')
    }
    const proto = Uint8Array.of(0x08, ...input.subarray(0, 64))
    const viaProto = parseOrNamed(() => {
      const r = new ProtoReader(proto)
      r.next()
      return r.uint64()
    }, 'ProtoReader.uint64')
    if (viaProto !== undefined) {
      const r = reference(proto.subarray(1))
      check(r !== undefined && r.length <= 10, 'the protobuf reader accepted an unterminated or overlong varint')
      check(viaProto === (r.value & 0xffffffffffffffffn), `uint64 ${viaProto} but the bytes encode ${r.value}`)
    }
  }
}
