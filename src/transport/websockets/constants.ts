/**
 * Largest WebSocket message a listener accepts. Default 4 MiB: writers above
 * send one message per chunk and chunks are at most a yamux frame (256 KiB by
 * default) or a Noise message (64 KiB), so this is generous, while refusing
 * the 100 MiB default `ws` would otherwise buffer for one message.
 */
export const MAX_WEBSOCKET_MESSAGE_BYTES = 4 * 1024 * 1024
