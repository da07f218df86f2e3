/** The echo differs from the payload we sent. */
export class PingMismatchError extends Error {
  override name = 'PingMismatchError'
}

/** No echo (client) or no next payload (handler) in time. */
export class PingTimeoutError extends Error {
  override name = 'PingTimeoutError'
}

/** The remote pinged faster than PING_MAX_PER_WINDOW allows, or opened too many ping streams. */
export class PingRateLimitError extends Error {
  override name = 'PingRateLimitError'
}

/** The stream ended partway through a 32-byte payload. */
export class PingTruncatedError extends Error {
  override name = 'PingTruncatedError'
}
