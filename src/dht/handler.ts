/**
 * The server side of the DHT RPCs (kad-dht spec "RPC messages"): one request in, at most
 * one response out. Transport-free, so the same code answers libp2p streams and the
 * in-process test network.
 *
 * Per type: FIND_NODE → the k closest contacts to the key; GET_VALUE → the stored record
 * (if any) and closer peers; PUT_VALUE → validate, store, echo the request;
 * ADD_PROVIDER → record those listed providers that are the sender itself, no response;
 * GET_PROVIDERS → stored providers and closer peers; PING (deprecated) → echo.
 * The requester is left out of closer peers: it knows itself. A FIND_NODE for our own
 * id gets ourselves as the only closer peer.
 */
import { CID } from 'multiformats/cid'
import { K } from './constants.js'
import { type Contact, kadKey } from './contact.js'
import { ConnectionType, type DhtMessage, type DhtPeer, dhtMessage, MessageType } from './message.js'
import type { ProviderStore } from './provider-store.js'
import type { RecordStore } from './record-store.js'
import type { RoutingTable } from './routing-table.js'

export class DhtRequestError extends Error {
  override name = 'DhtRequestError'
}

/** A routing-table contact that may carry the addresses we know for it. */
export type AddressedContact = Contact & { readonly addrs?: Uint8Array[] }

export interface DhtServer {
  readonly routingTable: RoutingTable<AddressedContact>
  readonly records: RecordStore
  readonly providers: ProviderStore
  /** Closer peers per answer, default K. */
  readonly k?: number
  /**
   * Ourselves, with the addresses we listen on: a FIND_NODE for our own id is answered
   * with this one entry (as go-libp2p and js-libp2p do), so peers learn how to reach us.
   */
  readonly self?: { readonly id: Uint8Array, readonly addrs: Uint8Array[] }
}

function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function requireKey (request: DhtMessage): Uint8Array {
  if (request.key === undefined || request.key.length === 0) throw new DhtRequestError(`message type ${request.type} needs a key`)
  return request.key
}

/** Provider keys are multihashes (a bare sha256 multihash reads as a CIDv0) or CIDs (spec "ADD_PROVIDER"). */
function requireProviderKey (request: DhtMessage): Uint8Array {
  const key = requireKey(request)
  try {
    CID.decode(key)
  } catch (err) {
    throw new DhtRequestError('provider key is neither a CID nor a sha256 multihash', { cause: err })
  }
  return key
}

function closerPeers (server: DhtServer, key: Uint8Array, from: Uint8Array): DhtPeer[] {
  const k = server.k ?? K
  // One extra, in case the requester is among them.
  return server.routingTable.closestPeers(kadKey(key), k + 1)
    .filter(c => !equalBytes(c.id, from))
    .slice(0, k)
    .map(c => ({ id: c.id, addrs: c.addrs ?? [], connection: ConnectionType.NOT_CONNECTED }))
}

/**
 * Answers one request from the peer whose PeerId multihash is `from`. Resolves with the
 * response, or undefined when the type has none (ADD_PROVIDER). Throws DhtRequestError
 * for a malformed request and InvalidRecordError for a record that fails validation;
 * either way the caller resets the stream.
 */
export async function handleRequest (server: DhtServer, request: DhtMessage, from: Uint8Array): Promise<DhtMessage | undefined> {
  switch (request.type) {
    case MessageType.FIND_NODE: {
      const key = requireKey(request)
      if (server.self !== undefined && equalBytes(key, server.self.id)) {
        return dhtMessage({ type: request.type, key, closerPeers: [{ id: server.self.id, addrs: server.self.addrs, connection: ConnectionType.CONNECTED }] })
      }
      return dhtMessage({ type: request.type, key, closerPeers: closerPeers(server, key, from) })
    }
    case MessageType.GET_VALUE: {
      const key = requireKey(request)
      const record = server.records.get(key)
      return dhtMessage({ type: request.type, key, ...(record === undefined ? {} : { record }), closerPeers: closerPeers(server, key, from) })
    }
    case MessageType.PUT_VALUE: {
      const key = requireKey(request)
      if (request.record === undefined) throw new DhtRequestError('PUT_VALUE without a record')
      if (!equalBytes(request.record.key, key)) throw new DhtRequestError('PUT_VALUE record key differs from the message key')
      await server.records.put(request.record)
      return request
    }
    case MessageType.ADD_PROVIDER: {
      const key = requireProviderKey(request)
      for (const provider of request.providerPeers) {
        if (equalBytes(provider.id, from)) server.providers.add(key, provider)
      }
      return undefined
    }
    case MessageType.GET_PROVIDERS: {
      const key = requireProviderKey(request)
      return dhtMessage({ type: request.type, key, providerPeers: server.providers.get(key), closerPeers: closerPeers(server, key, from) })
    }
    case MessageType.PING:
      return dhtMessage({ type: MessageType.PING })
    default:
      throw new DhtRequestError(`unknown message type ${String(request.type)}`)
  }
}
