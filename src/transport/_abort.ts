/**
 * One deadline for a dial: the transport's own timeout and the caller's
 * AbortSignal, whichever fires first, mapped to DialTimeoutError or
 * DialAbortedError. `clear()` must be called once the dial settles.
 */
import { DialAbortedError, DialTimeoutError } from './errors.js'

export interface DialDeadline {
  /** Resolves never; rejects when the deadline passes or the signal aborts. */
  readonly expired: Promise<never>
  clear: () => void
}

export function dialDeadline (what: string, timeoutMs: number, signal: AbortSignal | undefined): DialDeadline {
  let clear = (): void => {}
  const expired = new Promise<never>((_resolve, reject) => {
    if (signal?.aborted === true) { reject(new DialAbortedError(`dial to ${what} aborted`, { cause: signal.reason })); return }
    const timer = setTimeout(() => { reject(new DialTimeoutError(`dial to ${what} timed out after ${timeoutMs} ms`)) }, timeoutMs)
    const onAbort = (): void => { reject(new DialAbortedError(`dial to ${what} aborted`, { cause: signal?.reason })) }
    signal?.addEventListener('abort', onAbort, { once: true })
    clear = () => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort) }
  })
  expired.catch(() => {})
  return { expired, clear: () => { clear() } }
}
