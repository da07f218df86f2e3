// A DHT server whose record and provider stores (and peer store) live in a LevelDB
// datastore: records and provider announcements it received survive a restart of the
// process's node (same key, same database), and a fresh client that only knows the
// restarted server gets both back over the network.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNode, kadDht, generateKeyPair, openPersistentDatastore, PersistentPeerStore } from '../../dist/index.js'
import { RecordStore, ProviderStore, recordRules } from '../../dist/dht/index.js'
import { loopbackNode, testRules } from './helpers/swarm.js'

const enc = new TextEncoder()
const quiet = { refreshIntervalMs: 0, recordRepublishIntervalMs: 0, providerRepublishIntervalMs: 0 }
const dir = await mkdtemp(join(tmpdir(), 'wasp2p-dht-restart-'))

async function persistentServer (privateKey) {
  const datastore = await openPersistentDatastore(dir)
  const records = await RecordStore.open(datastore, { rules: recordRules(testRules) })
  const providers = await ProviderStore.open(datastore)
  const node = await createNode({
    ...loopbackNode, privateKey, peerStore: await PersistentPeerStore.open(datastore),
    services: { dht: kadDht({ ...quiet, ...testRules, mode: 'server', kad: { records, providers } }) }
  })
  return { node, records, providers, close: async () => { await node.stop(); await records.flush(); await providers.flush(); await datastore.close() } }
}

test('records and providers a server holds come back after its restart', async () => {
  const key = await generateKeyPair('Ed25519')
  const recordKey = enc.encode('/test/persisted')
  const cid = new Uint8Array([0x12, 0x20, ...new Uint8Array(32).fill(9)])
  let server = await persistentServer(key)
  const writer = await createNode({ ...loopbackNode, services: { dht: kadDht({ ...quiet, ...testRules, mode: 'server', bootstrap: [server.node.getMultiaddrs()[0].toString()] }) } })
  try {
    await writer.dht.put(recordKey, enc.encode('kept'))
    await writer.dht.provide(cid)
    assert.ok(server.records.get(recordKey) !== undefined, 'the server stored the record')
    assert.is(server.providers.get(cid).length, 1)
  } finally {
    await writer.stop()
    await server.close()
  }

  server = await persistentServer(key)
  const reader = await createNode({ ...loopbackNode, services: { dht: kadDht({ ...quiet, ...testRules, mode: 'client', bootstrap: [server.node.getMultiaddrs()[0].toString()] }) } })
  try {
    assert.equal([...server.records.get(recordKey).value], [...enc.encode('kept')], 'reloaded from LevelDB')
    assert.equal(new TextDecoder().decode(await reader.dht.get(recordKey)), 'kept', 'served over the network after the restart')
    const found = []
    for await (const provider of reader.dht.findProviders(cid)) found.push(provider.id.toString())
    assert.equal(found, [writer.peerId.toString()])
    assert.ok(await server.node.peerStore.has(writer.peerId), 'the writer is still a known peer')
  } finally {
    await reader.stop()
    await server.close()
  }
})

test.after(async () => { await rm(dir, { recursive: true, force: true }) })
test.run()
