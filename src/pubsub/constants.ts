/**
 * Gossipsub's protocol ids and parameters, with the defaults the specs give
 * (../shared/specs/libp2p/pubsub/gossipsub/gossipsub-v1.0.md "Parameters",
 * gossipsub-v1.1.md "Overview of New Parameters") and the limits that keep a
 * hostile peer from growing our memory or our work without bound.
 */

/** Floodsub, the pubsub baseline (pubsub README): every message to every subscribed peer. */
export const FLOODSUB_PROTOCOL = '/floodsub/1.0.0'
/** Gossipsub v1.0 (mesh, GRAFT/PRUNE, IHAVE/IWANT). */
export const MESHSUB_V10_PROTOCOL = '/meshsub/1.0.0'
/** Gossipsub v1.1 (peer exchange, backoff, scoring). */
export const MESHSUB_V11_PROTOCOL = '/meshsub/1.1.0'
/** Gossipsub v1.2 (adds IDONTWANT). */
export const MESHSUB_V12_PROTOCOL = '/meshsub/1.2.0'
/** What we offer on an outbound stream, best first (multistream-select takes the first the remote knows). */
export const PUBSUB_PROTOCOLS: readonly string[] = [MESHSUB_V12_PROTOCOL, MESHSUB_V11_PROTOCOL, MESHSUB_V10_PROTOCOL, FLOODSUB_PROTOCOL]

/** `D`: the desired mesh degree (v1.0 "Parameters"). */
export const D = 6
/** `D_lo`: below this, a heartbeat grafts up to D (v1.0 "Parameters": 4). */
export const D_LO = 4
/** `D_hi`: above this, a heartbeat prunes down to D (v1.0 "Parameters"). */
export const D_HI = 12
/** `D_lazy`: peers outside the mesh that get IHAVE gossip per topic and heartbeat (v1.0: `D`). */
export const D_LAZY = 6
/** `D_score`: mesh peers kept by score when pruning an oversubscribed mesh (v1.1: 4 or 5 for a D of 6). */
export const D_SCORE = 4
/** `D_out`: outbound mesh peers to keep (v1.1: must be < D_lo and ≤ D/2; 2 for a D of 6). */
export const D_OUT = 2
/** `heartbeat_interval` (v1.0). */
export const HEARTBEAT_INTERVAL_MS = 1000
/** The first heartbeat comes soon after start, so a mesh forms before the first full interval. */
export const HEARTBEAT_INITIAL_DELAY_MS = 100
/** `fanout_ttl`: fanout state of a topic we published to but do not subscribe (v1.0). */
export const FANOUT_TTL_MS = 60_000
/** `mcache_len`: history windows the message cache keeps (v1.0). */
export const MCACHE_LENGTH = 5
/** `mcache_gossip`: history windows whose ids are gossiped (v1.0). */
export const MCACHE_GOSSIP = 3
/** `seen_ttl`: how long a message id stays in the seen cache (v1.0: 2 minutes). */
export const SEEN_TTL_MS = 120_000
/** `PruneBackoff` (v1.1): no re-GRAFT of a pruned peer for this long. */
export const PRUNE_BACKOFF_MS = 60_000
/** `UnsubscribeBackoff` (v1.1): backoff sent in the PRUNEs of an unsubscribe. */
export const UNSUBSCRIBE_BACKOFF_MS = 10_000
/** A GRAFT this soon after our PRUNE is a flood (v1.1 "GRAFT flood"): penalised twice. */
export const GRAFT_FLOOD_THRESHOLD_MS = 10_000
/** Peers offered in one PRUNE's peer exchange (v1.1 "Peer Exchange"). */
export const PRUNE_PEERS = 16
/** `GossipFactor` (v1.1): share of eligible peers that get gossip when more than D_lazy are. */
export const GOSSIP_FACTOR = 0.25
/** `FloodPublish` (v1.1): our own messages go to every subscribed peer above the publish threshold. */
export const FLOOD_PUBLISH = true
/** A message is served by IWANT at most this many times to one peer (v1.1 "Spam Protection"). */
export const GOSSIP_RETRANSMISSION = 3
/** Heartbeats between opportunistic grafting rounds (v1.1 "Opportunistic Grafting": about once a minute). */
export const OPPORTUNISTIC_GRAFT_TICKS = 60
/** Peers grafted in one opportunistic round (v1.1: "a small number, e.g. 2"). */
export const OPPORTUNISTIC_GRAFT_PEERS = 2
/**
 * Heartbeats between checks that every direct peer (v1.1 "Explicit Peering Agreements") is
 * connected, redialing those that are not: 300 (js-libp2p's GossipsubDirectConnectTicks), the
 * spec's recommended 5 minutes at the 1 s heartbeat.
 */
export const DIRECT_CONNECT_TICKS = 300
/** Delay after start before the first dial of the direct peers (js-libp2p: 1 s), so listeners are up first. */
export const DIRECT_CONNECT_INITIAL_DELAY_MS = 1000
/** Message ids in the IHAVEs we act on from one peer per heartbeat (v1.1 "Spam Protection"). */
export const MAX_IHAVE_LENGTH = 5000
/** IHAVE messages we act on from one peer per heartbeat. */
export const MAX_IHAVE_MESSAGES = 10
/** A message id we asked for by IWANT must arrive within this time, or the peer broke its promise (v1.1). */
export const IWANT_FOLLOWUP_MS = 3000
/** v1.2: messages at least this large get an IDONTWANT to our mesh peers before we forward them. */
export const IDONTWANT_MIN_DATA_SIZE = 512
/** v1.2: IDONTWANT ids kept per peer (the oldest go first); bounds what a peer can make us store. */
export const MAX_IDONTWANT_IDS_PER_PEER = 512
/** v1.2: heartbeats an IDONTWANT is honoured for (the message is gone from mcache by then). */
export const IDONTWANT_TTL_HEARTBEATS = 3

/**
 * Largest RPC frame we read: 1 MiB (go-libp2p-pubsub's default). A larger length
 * prefix is a protocol violation: the stream is reset and the peer penalised.
 */
export const MAX_RPC_SIZE = 1024 * 1024
/** Fields in one decoded RPC (subscriptions + messages + control entries, nested included). */
export const MAX_RPC_FIELDS = 20_000
/** Length of a topic string; longer ones are ignored. */
export const MAX_TOPIC_LENGTH = 1024
/** Topics one peer may be subscribed to in our view; further subscriptions are ignored. */
export const MAX_TOPICS_PER_PEER = 1024
/** Message-id length we accept in IHAVE/IWANT/IDONTWANT (ids are ~44 bytes by default). */
export const MAX_MESSAGE_ID_LENGTH = 256
/** Ids in the seen cache at most, whatever the TTL; the oldest go first. */
export const MAX_SEEN_ENTRIES = 200_000
/** Messages in the message cache at most (all windows); the oldest go first. */
export const MAX_MCACHE_MESSAGES = 20_000
/** Bytes queued to one peer's outbound stream before further RPCs to it are dropped (a slow or stuck reader). */
export const MAX_OUTBOUND_QUEUE_BYTES = 16 * 1024 * 1024
/** Inbound pubsub streams per connection (a peer needs one; one more covers a reopen). */
export const MAX_INBOUND_STREAMS = 2
/** Attempts at an outbound stream on one connection before we stop trying. */
export const MAX_OUTBOUND_STREAM_ATTEMPTS = 3
/** Time to negotiate an outbound pubsub stream. */
export const OUTBOUND_STREAM_TIMEOUT_MS = 10_000
/** Peers from one PRUNE's peer exchange we dial (v1.1: PX is a hint, not a command). */
export const MAX_PX_DIALS = PRUNE_PEERS
