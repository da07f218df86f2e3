/**
 * wasp2p: libp2p with WebAssembly hot paths, one package for Node and browsers.
 */
export * as crypto from './crypto/index.js'
export { init, initSync } from './wasm/kernel.js'
export { useBackend, type Backend, type BackendChoice } from './wasm/backend.js'
export {
  noise, type NoiseInit, type NoiseSecuredConnection,
  NOISE_PROTOCOL_ID, HANDSHAKE_TIMEOUT_MS, MAX_NOISE_MESSAGE_LENGTH, MAX_PLAINTEXT_LENGTH,
  NoiseHandshakeError, UnexpectedPeerError, InvalidSignatureError, NoCommonMuxerError, NoiseHandshakeTimeoutError,
  NoiseHandshakeAbortedError, NoiseDecryptionError, NonceExhaustedError, TruncatedFrameError
} from './connection-encrypter/noise/index.js'
