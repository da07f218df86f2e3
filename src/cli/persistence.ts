/**
 * What `wasp2p start --key FILE --datastore DIR` keeps across runs: the
 * identity (a key file, ../keys/file.ts) and the known peers (a LevelDB
 * datastore under a PersistentPeerStore), and the reconnect to those peers
 * once the node listens.
 */
import { openPersistentDatastore } from '../datastore/persistent.js'
import type { Datastore } from '../datastore/types.js'
import { loadOrCreatePrivateKey } from '../keys/file.js'
import { reconnectKnownPeers, type KnownPeersHost } from '../node/known-peers.js'
import type { NodeOptions } from '../node/node.js'
import { PersistentPeerStore } from '../peer-store/persistent.js'
import { describeError } from './dial.js'
import { CliError, EXIT_FAILURE } from './exit-codes.js'
import type { Output } from './output.js'

export interface PersistentStores {
  nodeOptions: Pick<NodeOptions, 'privateKey' | 'peerStore'>
  /** With a datastore: dial the known peers (in the background) and print how many answered. */
  reconnect: (node: KnownPeersHost) => void
  close: () => Promise<void>
}

export async function openPersistentStores (keyFile: string | undefined, datastoreDir: string | undefined, out: Output): Promise<PersistentStores> {
  const nodeOptions: PersistentStores['nodeOptions'] = {}
  if (keyFile !== undefined) {
    try {
      const { key, created } = await loadOrCreatePrivateKey(keyFile)
      nodeOptions.privateKey = key
      out.log(`identity: ${keyFile} (${created ? 'created' : 'loaded'})`)
    } catch (err) {
      throw new CliError(`cannot use the key file ${keyFile}: ${describeError(err)}`, EXIT_FAILURE, { cause: err })
    }
  }
  let datastore: Datastore | undefined
  if (datastoreDir !== undefined) {
    try {
      datastore = await openPersistentDatastore(datastoreDir)
      const peerStore = await PersistentPeerStore.open(datastore)
      nodeOptions.peerStore = peerStore
      out.log(`datastore: ${datastoreDir} (${peerStore.size} known peers)`)
    } catch (err) {
      await datastore?.close()
      throw new CliError(`cannot open the datastore ${datastoreDir}: ${describeError(err)}`, EXIT_FAILURE, { cause: err })
    }
  }
  let reconnecting: Promise<void> = Promise.resolve()
  return {
    nodeOptions,
    reconnect (node) {
      if (datastore === undefined) return
      reconnecting = reconnectKnownPeers(node).then(
        ({ connected, failed }) => { if (connected.length + failed.length > 0) out.log(`reconnected to ${connected.length} of ${connected.length + failed.length} known peers`) },
        () => {}
      )
    },
    async close () {
      await reconnecting
      await (nodeOptions.peerStore as PersistentPeerStore | undefined)?.flush().catch(() => {})
      await datastore?.close()
    }
  }
}
