// Property tests of the Kademlia XOR metric on every backend (wasm-simd, wasm, js),
// and k-closest selection against a sort-based reference.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { useBackend } from '../../dist/wasm/backend.js'
import { KeyTable, KeyTableFullError, MAX_TABLE_KEYS, closestIndices, commonPrefixLength, compareDistance, xorBackend, xorDistance } from '../../dist/dht/xor/index.js'
import { referenceClosest, rng, toBig, xorBytes } from './helpers/random.js'

const BACKENDS = ['wasm-simd', 'wasm', 'js']
const ROUNDS = 200

/** A key sharing exactly `bits` leading bits with `base` (bits < 256). */
function withPrefix (r, base, bits) {
  const k = r.bytes(32)
  const whole = bits >> 3
  k.set(base.subarray(0, whole))
  const rest = bits & 7
  const mask = 0xff00 >> rest & 0xff // the `rest` high bits
  const flip = 0x80 >> rest // the first differing bit
  k[whole] = (base[whole] & mask) | ((base[whole] ^ flip) & flip) | (k[whole] & ~(mask | flip) & 0xff)
  return k
}

for (const backend of BACKENDS) {
  test(`${backend}: the backend is the one forced`, () => {
    useBackend(backend)
    assert.is(xorBackend(), backend)
  })

  test(`${backend}: identity, symmetry, XOR composition, triangle inequality`, () => {
    useBackend(backend)
    const r = rng(7)
    for (let i = 0; i < ROUNDS; i++) {
      const x = r.bytes(32), y = r.bytes(32), z = r.bytes(32)
      assert.is(toBig(xorDistance(x, x)), 0n)
      assert.is(commonPrefixLength(x, x), 256)
      assert.equal(xorDistance(x, y), xorDistance(y, x))
      const dxy = xorDistance(x, y), dyz = xorDistance(y, z), dxz = xorDistance(x, z)
      assert.equal(dxz, xorBytes(dxy, dyz))
      assert.ok(toBig(dxz) <= toBig(dxy) + toBig(dyz))
      assert.equal(dxy, xorBytes(x, y))
    }
  })

  test(`${backend}: unidirectionality: one key per distance from a point`, () => {
    useBackend(backend)
    const r = rng(11)
    for (let i = 0; i < ROUNDS; i++) {
      const x = r.bytes(32), y = r.bytes(32), z = r.bytes(32)
      // The only key at distance d(x, y) from x is y itself.
      assert.equal(xorBytes(x, xorDistance(x, y)), y)
      // Two keys are equally far from x exactly when they are equal.
      assert.is(compareDistance(y, z, x) === 0, toBig(y) === toBig(z))
      assert.is(compareDistance(y, y, x), 0)
    }
  })

  test(`${backend}: compareDistance orders like the big-integer distance`, () => {
    useBackend(backend)
    const r = rng(13)
    for (let i = 0; i < ROUNDS; i++) {
      const t = r.bytes(32)
      // Half the pairs share a long prefix so the comparison must look past the first words.
      const a = r.bytes(32)
      const b = i % 2 === 0 ? r.bytes(32) : withPrefix(r, a, r.int(256))
      const da = toBig(a) ^ toBig(t), db = toBig(b) ^ toBig(t)
      assert.is(compareDistance(a, b, t), da < db ? -1 : da > db ? 1 : 0)
      assert.is(compareDistance(b, a, t), da < db ? 1 : da > db ? -1 : 0)
    }
  })

  test(`${backend}: commonPrefixLength = leading zero bits of the distance, every bucket`, () => {
    useBackend(backend)
    const r = rng(17)
    for (let bits = 0; bits < 256; bits++) {
      const a = r.bytes(32)
      const b = withPrefix(r, a, bits)
      const d = toBig(xorDistance(a, b))
      assert.is(256 - d.toString(2).length, bits)
      assert.is(commonPrefixLength(a, b), bits)
      assert.is(commonPrefixLength(b, a), bits)
    }
  })

  test(`${backend}: closestIndices equals the sort-based reference on random tables`, () => {
    useBackend(backend)
    const r = rng(19)
    for (const n of [0, 1, 2, 7, 8, 9, 15, 16, 17, 33, 100, 1000, 3000]) {
      for (const count of [1, 3, 20, n, n + 5]) {
        if (count === 0) continue
        const target = r.bytes(32)
        const keys = []
        for (let i = 0; i < n; i++) {
          const kind = r.int(5)
          // Mix in duplicates and keys tying with the target's 64-bit prefix to exercise tie-breaks.
          if (kind === 0 && keys.length > 0) keys.push(keys[r.int(keys.length)].slice())
          else if (kind === 1) keys.push(withPrefix(r, target, 64 + r.int(190)))
          else keys.push(r.bytes(32))
        }
        const table = new KeyTable()
        for (const k of keys) table.push(k)
        assert.equal([...closestIndices(table, target, count)], referenceClosest(keys, target, count), `n=${n} count=${count}`)
      }
    }
  })

  test(`${backend}: closestIndices follows table mutations and alternating tables`, () => {
    useBackend(backend)
    const r = rng(23)
    const a = new KeyTable(), b = new KeyTable()
    const ka = [], kb = []
    for (let i = 0; i < 50; i++) { ka.push(r.bytes(32)); a.push(ka.at(-1)); kb.push(r.bytes(32)); b.push(kb.at(-1)) }
    for (let round = 0; round < 40; round++) {
      const target = r.bytes(32)
      assert.equal([...closestIndices(a, target, 10)], referenceClosest(ka, target, 10))
      assert.equal([...closestIndices(b, target, 10)], referenceClosest(kb, target, 10))
      // Swap-remove one key of a, append another.
      const victim = r.int(ka.length)
      const moved = a.removeAt(victim)
      if (moved !== undefined) ka[victim] = ka[moved]
      ka.length--
      ka.push(r.bytes(32)); a.push(ka.at(-1))
      assert.equal([...closestIndices(a, target, 10)], referenceClosest(ka, target, 10))
    }
  })
}

test('backends agree on the same 20 000-key table', () => {
  const r = rng(29)
  const table = new KeyTable()
  table.pushMany(r.bytes(32 * 20000))
  for (let i = 0; i < 10; i++) {
    const target = r.bytes(32)
    const results = BACKENDS.map(b => { useBackend(b); return [...closestIndices(table, target, 20)] })
    assert.equal(results[1], results[0])
    assert.equal(results[2], results[0])
  }
})

test('a full table (MAX_TABLE_KEYS keys): backends agree, one more key is refused', () => {
  const r = rng(31)
  const table = new KeyTable()
  table.pushMany(r.bytes(32 * MAX_TABLE_KEYS))
  assert.is(table.size, MAX_TABLE_KEYS)
  assert.throws(() => table.push(r.bytes(32)), e => e instanceof KeyTableFullError && e.name === 'KeyTableFullError')
  assert.throws(() => table.pushMany(r.bytes(32)), e => e instanceof KeyTableFullError)
  const target = r.bytes(32)
  const results = BACKENDS.map(b => { useBackend(b); return [...closestIndices(table, target, 50)] })
  assert.equal(results[1], results[0])
  assert.equal(results[2], results[0])
  // The nearest key really is nearest: nothing in the table beats it.
  const best = table.key(results[0][0])
  for (let i = 0; i < MAX_TABLE_KEYS; i += 997) assert.ok(compareDistance(best, table.key(i), target) <= 0)
})

test('hostile arguments are refused at the edge', () => {
  useBackend('auto')
  assert.throws(() => xorDistance(new Uint8Array(31), new Uint8Array(32)), e => e instanceof RangeError)
  assert.throws(() => xorDistance('x', new Uint8Array(32)), e => e instanceof TypeError)
  assert.throws(() => closestIndices(new KeyTable(), new Uint8Array(32), -1), e => e instanceof RangeError)
  assert.throws(() => new KeyTable().push(new Uint8Array(33)), e => e instanceof RangeError)
  assert.equal([...closestIndices(new KeyTable(), new Uint8Array(32), 5)], [])
})

test.after(() => useBackend('auto'))
test.run()
