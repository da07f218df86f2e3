// Polling for a condition in tests, bounded in time (never an unbounded loop).

/** Resolves once `predicate()` (sync or async) is truthy; throws after `ms` naming `what`. */
export async function waitFor (predicate, what, ms = 3000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await predicate()) return
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}
