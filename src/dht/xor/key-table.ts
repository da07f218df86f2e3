/**
 * A contiguous table of 32-byte Kademlia keys: the layout the k-closest kernel scans.
 * Rows are kept end to end with no holes (removal moves the last row into the gap), and
 * every mutation bumps `version` so backends can tell when their derived copy is stale.
 */

/** Bytes per Kademlia key (a sha256 digest, kad-dht spec "Distance"). */
export const KEY_BYTES = 32

/**
 * Most keys one table holds: 1<<17 (131,072), the size of the WASM kernel's static
 * table region (assembly/xor.ts MAX_KEYS, 4 MiB of rows). A full routing table holds at
 * most 256 buckets × k = 5,120 peers, so this leaves room for bulk selections too.
 */
export const MAX_TABLE_KEYS = 1 << 17

const INITIAL_CAPACITY = 64

export class KeyTableFullError extends Error {
  override name = 'KeyTableFullError'
}

export class KeyTable {
  #rows = new Uint8Array(INITIAL_CAPACITY * KEY_BYTES)
  #size = 0
  #version = 0

  /** Number of keys held. */
  get size (): number { return this.#size }

  /** Changes on every mutation. */
  get version (): number { return this.#version }

  /** The keys end to end (a view; valid until the next mutation). */
  get rows (): Uint8Array { return this.#rows.subarray(0, this.#size * KEY_BYTES) }

  /** The key at `index` (a view; valid until the next mutation). */
  key (index: number): Uint8Array {
    if (!Number.isInteger(index) || index < 0 || index >= this.#size) throw new RangeError(`index ${index} outside [0, ${this.#size})`)
    return this.#rows.subarray(index * KEY_BYTES, (index + 1) * KEY_BYTES)
  }

  /** Appends a key and returns its index. */
  push (key: Uint8Array): number {
    checkKey(key)
    if (this.#size === MAX_TABLE_KEYS) throw new KeyTableFullError(`a key table holds at most ${MAX_TABLE_KEYS} keys`)
    if ((this.#size + 1) * KEY_BYTES > this.#rows.length) {
      const grown = new Uint8Array(Math.min(this.#rows.length * 2, MAX_TABLE_KEYS * KEY_BYTES))
      grown.set(this.#rows)
      this.#rows = grown
    }
    this.#rows.set(key, this.#size * KEY_BYTES)
    this.#version++
    return this.#size++
  }

  /** Appends many keys given end to end (e.g. the output of sha256Many). */
  pushMany (keys: Uint8Array): void {
    if (keys.length % KEY_BYTES !== 0) throw new RangeError(`keys must be a multiple of ${KEY_BYTES} bytes, got ${keys.length}`)
    const count = keys.length / KEY_BYTES
    if (this.#size + count > MAX_TABLE_KEYS) throw new KeyTableFullError(`a key table holds at most ${MAX_TABLE_KEYS} keys`)
    let capacity = this.#rows.length
    while (capacity < (this.#size + count) * KEY_BYTES) capacity *= 2
    if (capacity !== this.#rows.length) {
      const grown = new Uint8Array(Math.min(capacity, MAX_TABLE_KEYS * KEY_BYTES))
      grown.set(this.#rows)
      this.#rows = grown
    }
    this.#rows.set(keys, this.#size * KEY_BYTES)
    this.#size += count
    this.#version++
  }

  /**
   * Removes the key at `index` by moving the last key into its place. Returns the old
   * index of the moved key (callers keeping parallel arrays move that entry too), or
   * undefined when `index` was the last row.
   */
  removeAt (index: number): number | undefined {
    this.key(index) // bounds check
    const last = this.#size - 1
    this.#size--
    this.#version++
    if (index === last) return undefined
    this.#rows.copyWithin(index * KEY_BYTES, last * KEY_BYTES, (last + 1) * KEY_BYTES)
    return last
  }

  clear (): void {
    this.#size = 0
    this.#version++
  }
}

export function checkKey (key: unknown, name = 'key'): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`)
  if (key.length !== KEY_BYTES) throw new RangeError(`${name} must be ${KEY_BYTES} bytes, got ${key.length}`)
}
