/**
 * Races a protocol step against a deadline and an optional AbortSignal. The
 * timer is always cleared, and the losing promise's rejection is absorbed,
 * so a step abandoned on timeout never surfaces as an unhandled rejection.
 */
export async function withTimeout<T> (
  step: Promise<T>, ms: number, timeoutError: () => Error, signal?: AbortSignal
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let onAbort: (() => void) | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    if (signal?.aborted === true) { reject(signal.reason ?? new Error('aborted')); return }
    if (Number.isFinite(ms)) timer = setTimeout(() => { reject(timeoutError()) }, ms)
    if (signal !== undefined) {
      onAbort = () => { reject(signal.reason ?? new Error('aborted')) }
      signal.addEventListener('abort', onAbort, { once: true })
    }
  })
  try {
    return await Promise.race([step, deadline])
  } finally {
    clearTimeout(timer)
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort)
    step.catch(() => {})
  }
}
