// The persistent peer store on LevelDB (classic-level): the peer-store compliance suite
// and the persistence checks, each reopen a real close and open of the database directory.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import { openPersistentDatastore } from '../../dist/datastore/index.js'
import { PersistentPeerStore } from '../../dist/peer-store/index.js'
import { peerStoreSuite } from './suite.js'
import { persistentChecks } from './persistent-checks.js'

const root = await mkdtemp(join(tmpdir(), 'wasp2p-ps-level-'))
let n = 0
peerStoreSuite('persistent on LevelDB', async options => await PersistentPeerStore.open(await openPersistentDatastore(join(root, `s${n++}`)), options))
persistentChecks('LevelDB', async () => await openPersistentDatastore(join(root, 'reopen')))
test.after(async () => { await rm(root, { recursive: true, force: true }) })
test.run()
