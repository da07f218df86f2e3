/** Named errors of gossipsub: each names what a peer (or the caller) did wrong. */

/** An RPC whose length prefix exceeds MAX_RPC_SIZE: the stream is reset and the sender penalised. */
export class RpcTooLargeError extends Error {
  override name = 'RpcTooLargeError'
}

/** An RPC that does not decode (bad protobuf, too many fields). */
export class InvalidRpcError extends Error {
  override name = 'InvalidRpcError'
}

/** A message that breaks the signature policy (missing/extra fields, bad signature, wrong key). */
export class InvalidMessageError extends Error {
  override name = 'InvalidMessageError'
}

/** Bad options or a bad API call (empty topic, publishing before start). */
export class PubSubUsageError extends Error {
  override name = 'PubSubUsageError'
}

/** Score parameters or thresholds that break the spec's constraints (v1.1 "Score Thresholds"). */
export class InvalidScoreParamsError extends Error {
  override name = 'InvalidScoreParamsError'
}
