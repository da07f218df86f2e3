// The Noise transport phase (noise-libp2p "Wire Format"): u16be-length frames
// of ciphertext ‖ tag, read by NoiseSecuredStream and opened in nonce order.
// Seeds are real frames under a fixed key; every input gets a fresh receive
// CipherState, so mutations reach the length, ciphertext and tag checks.
import { NoiseSecuredStream } from '../../dist/connection-encrypter/noise/secured-stream.js'
import { CipherState } from '../../dist/connection-encrypter/noise/cipher-state.js'
import { inputStream } from '../streams.js'
import { check, parseOrNamedAsync } from '../named.js'

const KEY = new Uint8Array(32).fill(0x42)

function cipher () { const c = new CipherState(); c.initializeKey(KEY); return c }

export default {
  name: 'noise-transport',
  covers: 'Noise transport frames (length prefix, AEAD open in nonce order) through NoiseSecuredStream',
  async setup () {
    const seeds = []
    for (const sizes of [[0], [1], [100], [1000, 5], [70000], [3, 3, 3]]) {
      const sink = []
      const writer = new NoiseSecuredStream({ write: async c => { sink.push(c.slice()) }, closeWrite: async () => {}, close: async () => {}, abort: () => {}, [Symbol.asyncIterator]: async function * () {} }, (async function * () {})(), cipher(), cipher())
      for (const n of sizes) if (n > 0) await writer.write(new Uint8Array(n).fill(n & 0xff))
      const total = sink.reduce((n, c) => n + c.length, 0)
      const out = new Uint8Array(total); let at = 0; for (const c of sink) { out.set(c, at); at += c.length }
      seeds.push(out.length > 0 ? out : Uint8Array.of(0, 0))
    }
    return { seeds, ctx: {} }
  },
  async run (input) {
    const connection = inputStream(input)
    const stream = new NoiseSecuredStream(connection, connection, cipher(), cipher())
    let received = 0
    await parseOrNamedAsync(async () => { for await (const chunk of stream) received += chunk.length }, 'NoiseSecuredStream read')
    check(received <= input.length, `read ${received} plaintext bytes from ${input.length} bytes`)
  }
}
