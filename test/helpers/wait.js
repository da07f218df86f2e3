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

/**
 * Resolves with the first truthy value of `fn()` (sync or async), asked at
 * most `count` times `intervalMs` apart (for peers in other processes, where
 * each ask is a command); throws naming `what` after the last.
 */
export async function pollFor (fn, what, { count = 120, intervalMs = 250 } = {}) {
  for (let i = 0; i < count; i++) {
    const found = await fn()
    if (found) return found
    await new Promise(resolve => setTimeout(resolve, intervalMs))
  }
  throw new Error(`timed out waiting for ${what}`)
}
