/** Perf (specs/libp2p/perf/perf.md). */
export const PERF_PROTOCOL = '/perf/1.0.0'

/** The request header: how many bytes the server sends back, as a big-endian uint64 (spec step 2). */
export const PERF_HEADER_LENGTH = 8

/**
 * Most bytes the server sends back for one request: 1 GiB. The spec lets a
 * client ask for up to 2^64 − 1 and warns that perf makes the server work for
 * the client ("Security Considerations"); 1 GiB is several seconds of any
 * throughput benchmark and still a bounded amount of work. Raise it per
 * server (option `maxDownloadBytes`) for longer runs.
 */
export const PERF_MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024

/**
 * Size of each chunk perf writes: 64 KiB. Large enough that per-write costs
 * vanish, small enough to fit a yamux window (256 KiB) several times over.
 */
export const PERF_CHUNK_SIZE = 64 * 1024

/** How long the server waits for the 8-byte request header: 10 s, as for any protocol's first message. */
export const PERF_HEADER_TIMEOUT_MS = 10_000

/**
 * Longest the server waits for any single upload read or download write after the header: 10 s.
 * The upload and download can be long, but a peer that stops sending (without half-closing) or
 * stops reading must not pin the stream and its buffers for ever; a live transfer moves some bytes
 * every few milliseconds.
 */
export const PERF_IDLE_TIMEOUT_MS = 10_000

/**
 * Longest one perf run may take on the server, header to close: 5 min. The
 * idle timeout alone lets a client that trickles one byte per 9 s keep a
 * stream (and the server's attention) for ever, since the upload has no size
 * limit; 5 min carries the largest default download (PERF_MAX_DOWNLOAD_BYTES)
 * at ~30 Mbit/s. Raise it per server (option `maxDuration`) for longer runs.
 */
export const PERF_MAX_DURATION_MS = 5 * 60_000
