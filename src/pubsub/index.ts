/**
 * Gossipsub v1.1 (with v1.0, floodsub and v1.2 IDONTWANT) publish/subscribe:
 * `gossipsub(options)` is the service factory; the router, codec, caches and
 * scoring are exported for tests and tools.
 */
import type { ServiceFactory } from '../node/service.js'
import { Gossipsub } from './gossipsub.js'
import type { GossipsubOptions } from './options.js'

/** The pubsub service: `createNode({ services: { pubsub: gossipsub() } })`, then `node.services.pubsub`. */
export function gossipsub (options: GossipsubOptions = {}): ServiceFactory<Gossipsub> {
  return { create: host => new Gossipsub(host, options) }
}

export { Gossipsub, type MessageEvent } from './gossipsub.js'
export { GossipsubRouter, type RouterHost, type RouterPeer, type PubSubMessage, type TopicValidator, type ValidationResult, type SubscriptionChangeDetail, type MessageEventDetail } from './router.js'
export { resolveOptions, type GossipsubOptions, type ResolvedOptions } from './options.js'
export * from './constants.js'
export { RpcTooLargeError, InvalidRpcError, InvalidMessageError, PubSubUsageError, InvalidScoreParamsError } from './errors.js'
export { encodeRpc, decodeRpc, encodeMessage, emptyControl, type Rpc, type RpcMessage, type SubOpts, type ControlMessage, type ControlPrune, type PxPeer } from './rpc.js'
export { msgIdFromOrigin, msgIdFromData, msgIdLax, msgIdFromFromAndSeqno, idKey, type MessageIdFn } from './message-id.js'
export { buildMessage, checkMessageSignature, signsOwnMessages, SIGNATURE_POLICIES, SeqnoCounter, AuthorCache, MAX_CACHED_AUTHORS, SIGN_PREFIX, type SignaturePolicy } from './signing.js'
export { SeenCache } from './seen-cache.js'
export { MessageCache } from './message-cache.js'
export { PeerScore } from './score/peer-score.js'
export { scoreParams, scoreThresholds, DEFAULT_SCORE_THRESHOLDS, DEFAULT_TOPIC_SCORE_PARAMS, type PeerScoreParams, type PeerScoreThresholds, type TopicScoreParams, type PeerScoreParamsInit } from './score/params.js'
