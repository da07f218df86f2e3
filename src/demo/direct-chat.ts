/**
 * The demo's chat between browser tabs: one message per stream of
 * `/wasp2p-demo/chat/1.0.0` (UTF-8 text, then the writer's half-close), sent
 * over the direct WebRTC connection to each browser peer.
 */
import type { Connection } from '../connection/connection.js'
import type { Wasp2pNode } from '../node/node.js'
import type { Stream } from '../stream/types.js'

export const CHAT_PROTOCOL = '/wasp2p-demo/chat/1.0.0'
/** Largest chat message, bytes: a few paragraphs; a longer one is refused and its stream reset. */
export const MAX_CHAT_MESSAGE_BYTES = 4096
/** A chat stream that has not delivered its message after this long (ms) is reset. */
export const CHAT_READ_TIMEOUT_MS = 10_000

export class ChatMessageTooLongError extends Error {
  override name = 'ChatMessageTooLongError'
}

async function readMessage (stream: Stream): Promise<string> {
  const timer = setTimeout(() => { stream.abort(new Error(`no chat message within ${CHAT_READ_TIMEOUT_MS} ms`)) }, CHAT_READ_TIMEOUT_MS)
  try {
    const bytes = new Uint8Array(MAX_CHAT_MESSAGE_BYTES)
    let n = 0
    for await (const chunk of stream) {
      if (n + chunk.length > bytes.length) throw new ChatMessageTooLongError(`a chat message over ${MAX_CHAT_MESSAGE_BYTES} bytes`)
      bytes.set(chunk, n)
      n += chunk.length
    }
    return new TextDecoder().decode(bytes.subarray(0, n))
  } finally {
    clearTimeout(timer)
  }
}

/** Answers chat streams: each message goes to `onMessage`. */
export function handleChat (node: Wasp2pNode, onMessage: (from: string, text: string) => void): void {
  node.handle(CHAT_PROTOCOL, async (stream, connection) => {
    try {
      onMessage(connection.remotePeer.toString(), await readMessage(stream))
      await stream.close()
    } catch (err) {
      stream.abort(err as Error)
    }
  })
}

/** Sends `text` to the peer at the other end of `connection`. */
export async function sendChat (connection: Connection, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text)
  if (bytes.length > MAX_CHAT_MESSAGE_BYTES) throw new ChatMessageTooLongError(`a chat message over ${MAX_CHAT_MESSAGE_BYTES} bytes`)
  const stream = await connection.newStream(CHAT_PROTOCOL)
  await stream.write(bytes)
  await stream.closeWrite()
  // Wait for the remote to finish its side: the message has then been read.
  for await (const _ of stream) { /* nothing is sent back */ }
}
