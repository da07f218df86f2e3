/** The client asked for more than the server's maxDownloadBytes. */
export class PerfLimitError extends Error {
  override name = 'PerfLimitError'
}

/** The stream ended before the 8-byte request header, or it did not arrive in time. */
export class PerfHeaderError extends Error {
  override name = 'PerfHeaderError'
}

/** The server sent a different number of bytes than requested. */
export class PerfLengthMismatchError extends Error {
  override name = 'PerfLengthMismatchError'
}

/** After the header, the client neither sent nor read anything for the idle timeout. */
export class PerfTimeoutError extends Error {
  override name = 'PerfTimeoutError'
}
