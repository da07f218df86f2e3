/**
 * Runs a callback in a later task rather than a microtask: after everything
 * the current task set off (its whole promise chain) has run. Writers use it
 * to cork: frames queued anywhere in that chain leave in one write — e.g. a
 * yamux SYN, the multistream proposal, the first data and the FIN of a new
 * stream, or a listener's ACK, answer and echo — instead of one write each.
 *
 * `setImmediate` where it exists (Node: right after the current I/O phase, no
 * timer clamping); elsewhere a MessageChannel, the browser's fastest task
 * that is not clamped like `setTimeout(0)`. Created on first use.
 */
type Task = () => void

let queue: Task[] = []
let post: (() => void) | undefined

function runQueued (): void {
  const tasks = queue
  queue = []
  for (const task of tasks) task()
}

function channelPost (): () => void {
  const channel = new MessageChannel()
  channel.port1.onmessage = runQueued
  return () => { channel.port2.postMessage(0) }
}

export function runInNextTask (task: Task): void {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate
  if (immediate !== undefined) { immediate(task); return }
  queue.push(task)
  if (queue.length === 1) (post ??= channelPost())()
}
