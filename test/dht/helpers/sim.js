// An in-process simulated DHT network: nodes with routing tables answering FIND_NODE /
// GET_VALUE / PUT_VALUE / ADD_PROVIDER / GET_PROVIDERS through the real codec, no sockets.
// Dead nodes either refuse at once or never answer (until the caller's signal aborts).
import { RoutingTable } from '../../../dist/dht/routing-table.js'
import { contactsOf, kadKey } from '../../../dist/dht/contact.js'
import { MessageType, decodeMessage, dhtMessage, encodeMessage } from '../../../dist/dht/message.js'
import { RecordStore } from '../../../dist/dht/record-store.js'
import { ProviderStore } from '../../../dist/dht/provider-store.js'
import { lookup } from '../../../dist/dht/query.js'
import { handleRequest } from '../../../dist/dht/handler.js'
import { rng } from './random.js'

/** A map key for bytes (latin1 text: cheap, and unique per byte string). */
export function hex (b) { return String.fromCharCode.apply(null, b) }

/** Ed25519-shaped PeerId multihashes: identity multihash of a 36-byte protobuf key. */
function randomIds (r, n) {
  return Array.from({ length: n }, () => new Uint8Array([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...r.bytes(32)]))
}

export async function createNetwork ({ size, k = 20, seed = 1, deadFraction = 0, hangingFraction = 0, rules }) {
  const r = rng(seed)
  const contacts = contactsOf(randomIds(r, size))
  const nodes = contacts.map(c => ({
    ...c,
    addrs: [new Uint8Array([4, 127, 0, 0, 1, 6, r.int(256), r.int(256)])],
    table: undefined,
    records: new RecordStore(rules === undefined ? {} : { rules }),
    providers: new ProviderStore(),
    alive: true,
    hangs: false
  }))
  const byId = new Map(nodes.map(n => [hex(n.id), n]))
  // Liveness check of a bucket's oldest contact: does the simulated node still run?
  const ping = async contact => byId.get(hex(contact.id))?.alive === true
  for (const n of nodes) n.table = new RoutingTable(n.key, { k, ping })
  // Converged tables: every node has offered every other node to its buckets, in random order.
  for (const node of nodes) {
    const order = nodes.filter(n => n !== node)
    for (let i = order.length - 1; i > 0; i--) { const j = r.int(i + 1); [order[i], order[j]] = [order[j], order[i]] }
    for (const other of order) await node.table.add(other)
  }
  const shuffled = [...nodes]
  for (let i = shuffled.length - 1; i > 0; i--) { const j = r.int(i + 1); [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]] }
  const dead = shuffled.slice(0, Math.round(size * deadFraction))
  for (const [i, n] of dead.entries()) { n.alive = false; n.hangs = i < Math.round(size * hangingFraction) }

  const stats = { requests: 0 }

  async function handle (node, request, from) {
    // A server records the DHT servers that query it (spec "Client and server mode").
    void node.table.add(from)
    return await handleRequest({ routingTable: node.table, records: node.records, providers: node.providers, k }, request, from.id)
  }

  /** sendRequest for lookups run by `from`. */
  function sender (from) {
    return async (peer, message, signal) => {
      stats.requests++
      const node = byId.get(hex(peer.id))
      await null
      if (node === undefined) throw new Error('unknown peer')
      if (!node.alive) {
        if (!node.hangs) throw new Error('connection refused')
        return await new Promise((resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))
      }
      const response = await handle(node, decodeMessage(encodeMessage(message)), from)
      return response === undefined ? undefined : decodeMessage(encodeMessage(response))
    }
  }

  /** The k live nodes nearest to `key`, other than `exclude`, by brute force. */
  function bruteForceClosest (key, count, exclude) {
    const t = kadKey(key)
    const compare = (a, b) => {
      for (let i = 0; i < 32; i++) { const d = (a.key[i] ^ t[i]) - (b.key[i] ^ t[i]); if (d !== 0) return d }
      return 0
    }
    return nodes.filter(n => n.alive && n !== exclude).sort(compare).slice(0, count)
  }

  /**
   * A lookup run by `from`, which keeps its routing table as a DHT node would: peers that
   * answer are (re)added, peers that fail are dropped (a replacement takes their place).
   */
  async function lookupFrom (from, key, type = MessageType.FIND_NODE, extra = {}) {
    return await lookup({
      key,
      request: dhtMessage({ type, key }),
      seeds: from.table.closestPeers(kadKey(key), k),
      sendRequest: sender(from),
      selfKey: from.key,
      k,
      onProgress: event => {
        if (event.type === 'error') from.table.remove(event.peer.key)
        else if (event.type === 'response') void from.table.add(event.peer)
      },
      ...extra
    })
  }

  /** The spec's bootstrap: every node looks up its own id. */
  async function bootstrap () {
    for (const n of nodes) if (n.alive) await lookupFrom(n, n.id)
  }

  /** The DhtContext of operations run by `node`. */
  const contextOf = (node, extra = {}) => ({ selfId: node.id, routingTable: node.table, records: node.records, providers: node.providers, sendRequest: sender(node), k, ...extra })

  return { nodes, sender, lookupFrom, bootstrap, contextOf, bruteForceClosest, stats, close () { for (const n of nodes) n.table.close() } }
}
