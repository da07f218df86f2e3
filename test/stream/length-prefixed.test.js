import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ByteReader } from '../../dist/stream/byte-reader.js'
import { duplexPair } from '../../dist/stream/duplex-pair.js'
import { encodeLengthPrefixed, readLengthPrefixed, writeLengthPrefixed } from '../../dist/stream/length-prefixed.js'

test('encodeLengthPrefixed: varint length then the bytes', () => {
  assert.equal(encodeLengthPrefixed(new Uint8Array([5, 6])), new Uint8Array([2, 5, 6]))
  const big = encodeLengthPrefixed(new Uint8Array(300))
  assert.equal(big.subarray(0, 2), new Uint8Array([0xac, 0x02]))
  assert.is(big.length, 302)
})

test('write and read messages through a pipe, split anywhere', async () => {
  const [a, b] = duplexPair()
  const messages = [new Uint8Array(0), new Uint8Array([1]), new Uint8Array(200).fill(7), new Uint8Array(70000).fill(3)]
  const reader = new ByteReader(b)
  const writing = (async () => { for (const m of messages) await writeLengthPrefixed(a, m); await a.closeWrite() })()
  for (const m of messages) assert.equal(await readLengthPrefixed(reader, 100000), m)
  await writing
})

test('a message over the limit is refused before its body is read', async () => {
  const [a, b] = duplexPair()
  await a.write(encodeLengthPrefixed(new Uint8Array(1000)).subarray(0, 2))
  const reader = new ByteReader(b)
  try { await readLengthPrefixed(reader, 999); assert.unreachable() } catch (err) { assert.instance(err, RangeError) }
})

test.run()
