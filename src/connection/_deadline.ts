/**
 * Runs `work` under a deadline and an optional caller signal. On expiry the
 * resource is aborted (which unblocks any pending read or write inside
 * `work`) and the returned promise rejects with `onTimeout()` or the
 * signal's reason.
 */
export async function withDeadline<T> (
  timeoutMs: number,
  signal: AbortSignal | undefined,
  abortResource: (err: Error) => void,
  onTimeout: () => Error,
  work: (signal: AbortSignal) => Promise<T>
): Promise<T> {
  const controller = new AbortController()
  let fail = (_err: Error): void => {}
  const failed = new Promise<never>((_resolve, reject) => {
    fail = err => { controller.abort(err); abortResource(err); reject(err) }
  })
  failed.catch(() => {})
  const timer = setTimeout(() => { fail(onTimeout()) }, timeoutMs)
  const onAbort = (): void => { fail(signal?.reason instanceof Error ? signal.reason : new Error('aborted')) }
  if (signal?.aborted === true) onAbort()
  else signal?.addEventListener('abort', onAbort, { once: true })
  try {
    return await Promise.race([work(controller.signal), failed])
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}
