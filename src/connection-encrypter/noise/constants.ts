/**
 * Protocol constants and limits of noise-libp2p
 * (../shared/specs/libp2p/noise/README.md, "Noise Protocol Name", "Wire Format").
 */

/** The multistream-select protocol id of noise-libp2p. */
export const NOISE_PROTOCOL_ID = '/noise'

/** The only Noise protocol noise-libp2p speaks: XX handshake, X25519, ChaCha20-Poly1305, SHA-256. */
export const NOISE_PROTOCOL_NAME = 'Noise_XX_25519_ChaChaPoly_SHA256'

/** Signed together with the static Noise public key to bind it to the libp2p identity. */
export const STATIC_KEY_SIGNATURE_PREFIX = 'noise-libp2p-static-key:'

/** X25519 public keys and DH outputs (Noise §12.1 DHLEN). */
export const DH_LENGTH = 32

/** The Poly1305 tag appended to every AEAD ciphertext. */
export const TAG_LENGTH = 16

/**
 * Largest Noise message, default 65535 bytes: Noise §3 caps every message
 * there, and the 2-byte length prefix of the libp2p wire format cannot say more.
 */
export const MAX_NOISE_MESSAGE_LENGTH = 65535

/** Largest plaintext in one transport frame: 65535 - 16 = 65519 bytes; longer writes are split. */
export const MAX_PLAINTEXT_LENGTH = MAX_NOISE_MESSAGE_LENGTH - TAG_LENGTH

/**
 * Time allowed for the whole three-message handshake, default 10 s: long
 * enough for slow links and signature checks through WebCrypto, short enough
 * that a peer who stops talking mid-handshake does not pin the connection.
 */
export const HANDSHAKE_TIMEOUT_MS = 10_000

/**
 * Most entries accepted in each repeated field of the remote's
 * NoiseExtensions (stream muxers, WebTransport certhashes), default 64: real
 * peers send one to three; the cap bounds the work a hostile payload causes.
 */
export const MAX_EXTENSION_ENTRIES = 64

/**
 * NoiseExtensions field of wasp2p's early half-close (a bool): the sender's
 * streams keep a FIN that arrives with or before a multistream-select
 * proposal, ahead of the answer, so a dialer may send proposal, data and FIN
 * at once — one round trip for a request/response stream instead of two.
 * js-libp2p 3 does not (src/multistream/select.ts), and protobuf decoders
 * skip the field. An experimental code point: the spec's registry leaves
 * those above 1024 to experiments (noise README, "Noise Extensions").
 */
export const EARLY_FIN_EXTENSION = 1913
