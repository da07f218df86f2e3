// Seeded pseudo-random bytes for reproducible property tests (xorshift128+; not for keys in production).
export function rng (seed = 1) {
  let s0 = (seed * 0x9e3779b1) >>> 0 || 1
  let s1 = (seed ^ 0xdeadbeef) >>> 0 || 2
  const next = () => {
    let x = s0
    const y = s1
    s0 = y
    x ^= x << 23; x >>>= 0
    s1 = (x ^ y ^ (x >>> 17) ^ (y >>> 26)) >>> 0
    return (s1 + y) >>> 0
  }
  return {
    u32: next,
    int: n => next() % n,
    bytes (n) { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = next() & 0xff; return b }
  }
}

export function toBig (bytes) {
  let v = 0n
  for (const b of bytes) v = (v << 8n) | BigInt(b)
  return v
}

export function xorBytes (a, b) {
  const out = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i]
  return out
}

/** Reference k-closest: sort every index by (distance as BigInt, index). */
export function referenceClosest (keys, target, count) {
  const t = toBig(target)
  return keys.map((k, i) => [toBig(k) ^ t, i])
    .sort((x, y) => x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1])
    .slice(0, count).map(x => x[1])
}
