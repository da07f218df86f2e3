// Key files: saved with mode 0600 in the libp2p protobuf key format (js-libp2p reads
// them, and we read its), refused when group or others may read them, created once by
// loadOrCreatePrivateKey and then kept, malformed ones rejected with named errors.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { chmod, mkdtemp, readFile, rm, stat, writeFile, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { privateKeyFromProtobuf as jsPrivateKeyFromProtobuf, privateKeyToProtobuf as jsPrivateKeyToProtobuf, generateKeyPair as jsGenerateKeyPair } from '@libp2p/crypto/keys'
import { generateKeyPair, InvalidPrivateKeyError } from '../../dist/keys/index.js'
import {
  savePrivateKey, loadPrivateKey, loadOrCreatePrivateKey, keyFilesSupported, InsecureKeyFileError, InvalidKeyFileError, KEY_FILE_MODE
} from '../../dist/keys/file.js'
import { peerIdFromPrivateKey } from '../../dist/peer-id/index.js'

const dir = await mkdtemp(join(tmpdir(), 'wasp2p-keys-'))
const path = name => join(dir, name)

test('save writes mode 0600; load gives the same key back', async () => {
  assert.ok(keyFilesSupported)
  for (const type of ['Ed25519', 'secp256k1', 'ECDSA']) {
    const key = await generateKeyPair(type)
    await savePrivateKey(path(type), key)
    assert.is((await stat(path(type))).mode & 0o777, KEY_FILE_MODE)
    const loaded = await loadPrivateKey(path(type))
    assert.ok(loaded.publicKey.equals(key.publicKey), type)
    assert.is(peerIdFromPrivateKey(loaded).toString(), peerIdFromPrivateKey(key).toString())
  }
})

test('the file is the libp2p protobuf key format: js-libp2p reads ours, we read its', async () => {
  const ours = await generateKeyPair('Ed25519')
  await savePrivateKey(path('ours'), ours)
  const read = jsPrivateKeyFromProtobuf(new Uint8Array(await readFile(path('ours'))))
  assert.equal([...read.raw], [...ours.raw])
  const theirs = await jsGenerateKeyPair('Ed25519')
  await writeFile(path('theirs'), jsPrivateKeyToProtobuf(theirs), { mode: 0o600 })
  assert.equal([...(await loadPrivateKey(path('theirs'))).raw], [...theirs.raw])
})

test('a key file group or others can read or write is refused with InsecureKeyFileError', async () => {
  await savePrivateKey(path('loose'), await generateKeyPair('Ed25519'))
  for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602]) {
    await chmod(path('loose'), mode)
    const err = await loadPrivateKey(path('loose')).catch(e => e)
    assert.instance(err, InsecureKeyFileError, mode.toString(8))
    assert.match(err.message, /chmod 600/)
  }
  await chmod(path('loose'), 0o400)
  assert.ok(await loadPrivateKey(path('loose')), 'owner read-only is fine')
})

test('saving replaces an existing key atomically, still 0600', async () => {
  await writeFile(path('replace'), 'old', { mode: 0o644 })
  const key = await generateKeyPair('Ed25519')
  await savePrivateKey(path('replace'), key)
  assert.is((await stat(path('replace'))).mode & 0o777, 0o600)
  assert.ok((await loadPrivateKey(path("replace"))).publicKey.equals(key.publicKey))
})

test('loadOrCreatePrivateKey creates on the first call and keeps the key after', async () => {
  const first = await loadOrCreatePrivateKey(path('identity'))
  assert.ok(first.created)
  assert.is((await stat(path('identity'))).mode & 0o777, 0o600)
  const second = await loadOrCreatePrivateKey(path('identity'))
  assert.not.ok(second.created)
  assert.ok(second.key.publicKey.equals(first.key.publicKey))
  const racing = await Promise.all([loadOrCreatePrivateKey(path('race')), loadOrCreatePrivateKey(path('race'))])
  assert.ok(racing[0].key.publicKey.equals(racing[1].key.publicKey), 'two creators at once end with one identity')
  assert.is(racing.filter(r => r.created).length, 1)
})

test('malformed key files: named errors, not crashes', async () => {
  await writeFile(path('empty'), new Uint8Array(0), { mode: 0o600 })
  assert.instance(await loadPrivateKey(path('empty')).catch(e => e), InvalidKeyFileError)
  await writeFile(path('huge'), new Uint8Array(100_000), { mode: 0o600 })
  assert.instance(await loadPrivateKey(path('huge')).catch(e => e), InvalidKeyFileError)
  await writeFile(path('garbage'), new Uint8Array([0x08, 0x01, 0x12, 0x05, 1, 2, 3, 4, 5]), { mode: 0o600 })
  assert.instance(await loadPrivateKey(path('garbage')).catch(e => e), InvalidPrivateKeyError)
  await symlink(path('identity'), path('link'))
  assert.instance(await loadPrivateKey(path('link')).catch(e => e), InvalidKeyFileError, 'a symlink is not followed')
  assert.is((await loadPrivateKey(path('missing')).catch(e => e)).code, 'ENOENT')
})

test.after(async () => { await rm(dir, { recursive: true, force: true }) })
test.run()
