// Shared helpers of the pubsub tests: wasp2p nodes running the gossipsub service as
// `services.pubsub` (node.pubsub), bounded waiting, and small byte helpers.
import { createNode, gossipsub } from '../../dist/index.js'

/** Every wait in these tests gives up after at most this long (a loaded 2-core box). */
export const WAIT_TIMEOUT_MS = 30_000

export async function pubsubNode ({ listen = ['/ip4/127.0.0.1/tcp/0'], pubsub = {}, node = {} } = {}) {
  return await createNode({ listen, ...node, services: { pubsub: gossipsub({ heartbeatIntervalMs: 200, ...pubsub }), ...node.services } })
}

/** Polls `predicate` every 25 ms until it holds; throws with `what` after `timeoutMs`. */
export async function waitFor (predicate, what, timeoutMs = WAIT_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await predicate()) return
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
}

export const text = s => new TextEncoder().encode(s)
export const untext = b => new TextDecoder().decode(b)

/** Records every `message` event of a Gossipsub: an array of { topic, text, from, source }. */
export function record (ps) {
  const got = []
  ps.addEventListener('message', e => { got.push({ topic: e.detail.topic, text: untext(e.detail.data), from: e.detail.from?.toString(), source: e.detail.propagationSource.toString() }) })
  return got
}
