// Record store (validation by namespace, /pk/ built in, selection, expiry, bounds) and
// provider store (expiry, address expiry, per-key bound).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { RecordStore, RecordStoreFullError, MAX_RECORD_VALUE_BYTES } from '../../dist/dht/record-store.js'
import { ProviderStore, ProviderStoreFullError } from '../../dist/dht/provider-store.js'
import { InvalidRecordError, namespaceOf, recordRules } from '../../dist/dht/validators.js'
import { sha256 } from '../../dist/crypto/index.js'
import { generateKeyPair, publicKeyToProtobuf, enableKeyTypes, ecdsaKeys } from '../../dist/keys/index.js'
import { rng } from './helpers/random.js'

// Node enables every key type by default; a browser bundle only Ed25519 until asked (src/keys/registry.ts).
enableKeyTypes(ecdsaKeys)

const r = rng(77)
const utf8 = s => new TextEncoder().encode(s)
const concat = (...parts) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { out.set(p, at); at += p.length } return out }
const isInvalid = err => err instanceof InvalidRecordError && err.name === 'InvalidRecordError'

/** An Ed25519 PublicKey protobuf and its /pk/ key (identity multihash). */
function ed25519Record () {
  const value = concat([0x08, 0x01, 0x12, 0x20], r.bytes(32))
  return { key: concat(utf8('/pk/'), [0x00, value.length], value), value, timeReceived: '' }
}
/** A key too long to inline (ECDSA P-256, as DER) under a sha256 multihash. */
async function hashedRecord () {
  const value = publicKeyToProtobuf((await generateKeyPair('ECDSA')).publicKey)
  return { key: concat(utf8('/pk/'), [0x12, 0x20], sha256(value)), value, timeReceived: '' }
}

async function rejects (promise, check) {
  try { await promise } catch (err) { assert.ok(check(err), String(err)); return }
  assert.unreachable('expected a rejection')
}

test('/pk/ records are stored only under the hash of their value', async () => {
  const store = new RecordStore()
  for (const record of [ed25519Record(), await hashedRecord()]) {
    assert.ok(await store.put(record))
    assert.equal(store.get(record.key).value, record.value)
    assert.ok(!Number.isNaN(Date.parse(store.get(record.key).timeReceived)))
    const tampered = record.value.slice()
    tampered[tampered.length - 1] ^= 1
    await rejects(store.put({ ...record, value: tampered }), isInvalid)
  }
  await rejects(store.put({ key: concat(utf8('/pk/'), [0x13, 0x02, 1, 2]), value: new Uint8Array(2), timeReceived: '' }), isInvalid)
  await rejects(store.put({ key: concat(utf8('/pk/'), [0x12, 0x20, 1]), value: new Uint8Array(2), timeReceived: '' }), isInvalid)
  await rejects(store.put({ key: utf8('/pk/'), value: new Uint8Array(2), timeReceived: '' }), isInvalid)
  // Hashes right, but is no public key.
  const junk = r.bytes(100)
  await rejects(store.put({ key: concat(utf8('/pk/'), [0x12, 0x20], sha256(junk)), value: junk, timeReceived: '' }), isInvalid)
  assert.is(store.size, 2)
})

test('unknown namespaces and malformed keys are refused; custom rules select the best', async () => {
  assert.is(namespaceOf(utf8('/ipns/abc')), 'ipns')
  const plain = new RecordStore()
  await rejects(plain.put({ key: utf8('/ipns/x'), value: utf8('1'), timeReceived: '' }), isInvalid)
  await rejects(plain.put({ key: utf8('nope'), value: utf8('1'), timeReceived: '' }), isInvalid)
  await rejects(plain.put({ key: utf8('//x'), value: utf8('1'), timeReceived: '' }), isInvalid)
  // A toy namespace: values are decimal numbers, higher wins.
  const rules = recordRules({
    validators: { n: (key, value) => { if (!/^\d+$/.test(new TextDecoder().decode(value))) throw new InvalidRecordError('not a number') } },
    selectors: { n: (key, values) => { const nums = values.map(v => Number(new TextDecoder().decode(v))); return nums.indexOf(Math.max(...nums)) } }
  })
  const store = new RecordStore({ rules })
  const key = utf8('/n/counter')
  assert.ok(await store.put({ key, value: utf8('5'), timeReceived: '' }))
  assert.not.ok(await store.put({ key, value: utf8('3'), timeReceived: '' }))
  assert.equal(store.get(key).value, utf8('5'))
  assert.ok(await store.put({ key, value: utf8('9'), timeReceived: '' }))
  assert.equal(store.get(key).value, utf8('9'))
  await rejects(store.put({ key, value: utf8('x'), timeReceived: '' }), isInvalid)
  await rejects(store.put({ key, value: new Uint8Array(MAX_RECORD_VALUE_BYTES + 1), timeReceived: '' }), isInvalid)
})

test('records expire; a full store refuses new keys until some expire', async () => {
  let now = 0
  const store = new RecordStore({ ttlMs: 1000, maxRecords: 3, now: () => now })
  const records = [0, 1, 2, 3].map(ed25519Record)
  for (const rec of records.slice(0, 3)) await store.put(rec)
  await rejects(store.put(records[3]), err => err instanceof RecordStoreFullError && err.name === 'RecordStoreFullError')
  now = 999
  assert.ok(store.get(records[0].key) !== undefined)
  now = 1000
  assert.is(store.get(records[0].key), undefined)
  assert.ok(await store.put(records[3]))
  assert.is(store.prune(), 2)
  assert.is(store.size, 1)
  assert.ok(store.get(records[3].key) !== undefined)
})

test('providers: latest first, addresses dropped after their TTL, records after theirs', () => {
  let now = 0
  const store = new ProviderStore({ ttlMs: 1000, addrsTtlMs: 100, now: () => now })
  const key = r.bytes(34)
  const a = { id: r.bytes(38), addrs: [r.bytes(8)] }, b = { id: r.bytes(38), addrs: [r.bytes(8)] }
  store.add(key, a)
  now = 50
  store.add(key, b)
  assert.equal(store.get(key).map(p => p.id), [b.id, a.id])
  assert.equal(store.get(key)[1].addrs, a.addrs)
  now = 120
  assert.equal(store.get(key)[1].addrs, [])
  assert.equal(store.get(key)[0].addrs, b.addrs)
  store.add(key, a) // re-announce refreshes a
  assert.equal(store.get(key).map(p => p.id), [a.id, b.id])
  now = 1050
  assert.equal(store.get(key).map(p => p.id), [a.id])
  now = 5000
  assert.equal(store.get(key), [])
  assert.is(store.size, 0)
})

test('providers: per-key and key-count bounds', () => {
  let now = 0
  const store = new ProviderStore({ maxProvidersPerKey: 3, maxKeys: 2, ttlMs: 10, now: () => now })
  const key = r.bytes(34)
  const ps = Array.from({ length: 5 }, () => ({ id: r.bytes(38), addrs: [] }))
  for (const p of ps) store.add(key, p)
  assert.equal(store.get(key).map(p => p.id), ps.slice(2).reverse().map(p => p.id))
  store.add(r.bytes(34), ps[0])
  assert.throws(() => store.add(r.bytes(34), ps[0]), err => err instanceof ProviderStoreFullError)
  now = 10
  store.add(r.bytes(34), ps[0])
  assert.is(store.size, 1)
})

test.run()
