/**
 * Pure-JS fallback of assembly/xor.ts, same algorithm: a column of 64-bit key prefixes
 * (as hi/lo big-endian u32 pairs, rebuilt when the table's version changes), one scan
 * keeping the k nearest in a bounded max-heap, full 256-bit compares only on prefix ties.
 */
import { KEY_BYTES, type KeyTable } from './key-table.js'
import type { XorImplementation } from './_types.js'

interface Column { version: number, hi: Uint32Array, lo: Uint32Array }

const columns = new WeakMap<KeyTable, Column>()

function be32 (b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0
}

function columnOf (table: KeyTable): Column {
  let column = columns.get(table)
  if (column !== undefined && column.version === table.version) return column
  const n = table.size
  const rows = table.rows
  const hi = column !== undefined && column.hi.length >= n ? column.hi : new Uint32Array(Math.max(n, 64) * 2)
  const lo = column !== undefined && column.lo.length >= n ? column.lo : new Uint32Array(hi.length)
  for (let i = 0, at = 0; i < n; i++, at += KEY_BYTES) {
    hi[i] = be32(rows, at)
    lo[i] = be32(rows, at + 4)
  }
  column = { version: table.version, hi, lo }
  columns.set(table, column)
  return column
}

/** Full-distance comparison of the keys at rows x and y of `rows` to `target`. */
function compareRows (rows: Uint8Array, x: number, y: number, target: Uint8Array): number {
  const ox = x * KEY_BYTES, oy = y * KEY_BYTES
  for (let b = 0; b < KEY_BYTES; b++) {
    const dx = rows[ox + b]! ^ target[b]!, dy = rows[oy + b]! ^ target[b]!
    if (dx !== dy) return dx - dy
  }
  return 0
}

function compare (a: Uint8Array, b: Uint8Array, target: Uint8Array): number {
  for (let i = 0; i < KEY_BYTES; i++) {
    const da = a[i]! ^ target[i]!, db = b[i]! ^ target[i]!
    if (da !== db) return da < db ? -1 : 1
  }
  return 0
}

function closest (table: KeyTable, target: Uint8Array, count: number): Uint32Array {
  const n = table.size
  const k = Math.min(count, n)
  if (k <= 0) return new Uint32Array(0)
  const { hi, lo } = columnOf(table)
  const rows = table.rows
  const th = be32(target, 0), tl = be32(target, 4)
  const heap = new Uint32Array(k)

  const farther = (i: number, j: number): boolean => {
    const hi_ = (hi[i]! ^ th) >>> 0, hj = (hi[j]! ^ th) >>> 0
    if (hi_ !== hj) return hi_ > hj
    const li = (lo[i]! ^ tl) >>> 0, lj = (lo[j]! ^ tl) >>> 0
    if (li !== lj) return li > lj
    const c = compareRows(rows, i, j, target)
    return c !== 0 ? c > 0 : i > j
  }
  const siftDown = (size: number): void => {
    const item = heap[0]!
    let at = 0
    for (;;) {
      const left = 2 * at + 1
      if (left >= size) break
      const right = left + 1
      const child = right < size && farther(heap[right]!, heap[left]!) ? right : left
      if (!farther(heap[child]!, item)) break
      heap[at] = heap[child]!
      at = child
    }
    heap[at] = item
  }
  for (let i = 0; i < k; i++) {
    let at = i
    while (at > 0) {
      const parent = (at - 1) >> 1
      if (!farther(i, heap[parent]!)) break
      heap[at] = heap[parent]!
      at = parent
    }
    heap[at] = i
  }
  let wh = (hi[heap[0]!]! ^ th) >>> 0, wl = (lo[heap[0]!]! ^ tl) >>> 0
  for (let i = k; i < n; i++) {
    const dh = (hi[i]! ^ th) >>> 0
    if (dh > wh) continue
    if (dh === wh) {
      const dl = (lo[i]! ^ tl) >>> 0
      if (dl > wl || (dl === wl && !farther(heap[0]!, i))) continue
    }
    heap[0] = i
    siftDown(k)
    wh = (hi[heap[0]!]! ^ th) >>> 0
    wl = (lo[heap[0]!]! ^ tl) >>> 0
  }
  const out = new Uint32Array(k)
  for (let left = k; left > 0; left--) {
    out[left - 1] = heap[0]!
    if (left > 1) { heap[0] = heap[left - 1]!; siftDown(left - 1) }
  }
  return out
}

export const xorJs: XorImplementation = {
  distance (a, b) {
    const out = new Uint8Array(KEY_BYTES)
    for (let i = 0; i < KEY_BYTES; i++) out[i] = a[i]! ^ b[i]!
    return out
  },
  compare,
  commonPrefixLength (a, b) {
    for (let i = 0; i < KEY_BYTES; i++) {
      const x = a[i]! ^ b[i]!
      if (x !== 0) return i * 8 + Math.clz32(x) - 24
    }
    return KEY_BYTES * 8
  },
  closest
}
