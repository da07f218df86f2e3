// The LevelDB datastore (classic-level) against the datastore compliance suite, then
// what only a database on disk can show: entries survive closing and reopening, a second
// open of a directory in use is refused with a named error.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openPersistentDatastore, persistentDatastoreKind, DatastoreUnavailableError } from '../../dist/datastore/index.js'
import { datastoreSuite } from './compliance.js'

const root = await mkdtemp(join(tmpdir(), 'wasp2p-level-'))
let n = 0
datastoreSuite('leveldb', async () => await openPersistentDatastore(join(root, `db${n++}`)))

test('leveldb: the persistent datastore in Node; entries survive a reopen', async () => {
  assert.is(persistentDatastoreKind, 'leveldb')
  const dir = join(root, 'reopen')
  const first = await openPersistentDatastore(dir)
  await first.put('/peers/a', new Uint8Array([1]))
  await first.put('/peers/b', new Uint8Array([2]))
  await first.delete('/peers/a')
  await first.close()
  const second = await openPersistentDatastore(dir)
  assert.is(await second.get('/peers/a'), undefined)
  assert.equal([...await second.get('/peers/b')], [2])
  await second.close()
})

test('leveldb: a directory already open is refused (DatastoreUnavailableError)', async () => {
  const dir = join(root, 'locked')
  const first = await openPersistentDatastore(dir)
  try {
    const err = await openPersistentDatastore(dir).catch(e => e)
    assert.instance(err, DatastoreUnavailableError)
  } finally {
    await first.close()
  }
})

test.after(async () => { await rm(root, { recursive: true, force: true }) })
test.run()
