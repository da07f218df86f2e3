// A peer in a child process that speaks JSON lines: its first stdout line
// describes it, then it answers one line per command written to its stdin
// (Node only). Used for every js-libp2p peer the tests start.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

/** How long stop() waits for the child to exit before killing it. */
export const STOP_GRACE_MS = 10_000

/**
 * Starts `script` with `args` (under `wrap`, if given); resolves with its first line (`info`), a
 * `command(obj)` that writes one line and resolves with the next answer, and `stop()`.
 */
export async function startJsonLineChild (script, args, { startTimeoutMs, commandTimeoutMs, wrap = [] }) {
  // `wrap`: a command the node process runs under, e.g. ['ip', 'netns', 'exec', '<namespace>'].
  const [command, ...prefix] = [...wrap, process.execPath]
  const child = spawn(command, [...prefix, script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', d => { stderr += d })
  const queue = []
  const waiters = []
  createInterface({ input: child.stdout }).on('line', line => {
    const message = JSON.parse(line)
    const waiter = waiters.shift()
    if (waiter !== undefined) waiter.resolve(message)
    else queue.push(message)
  })
  const exited = new Promise(resolve => child.once('exit', resolve))
  exited.then(() => { for (const w of waiters.splice(0)) w.reject(new Error(`peer process exited: ${stderr.slice(-2000)}`)) })

  function next (timeoutMs) {
    if (queue.length > 0) return Promise.resolve(queue.shift())
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`peer process did not answer in ${timeoutMs} ms: ${stderr.slice(-2000)}`)), timeoutMs)
      waiters.push({ resolve: v => { clearTimeout(timer); resolve(v) }, reject: e => { clearTimeout(timer); reject(e) } })
    })
  }

  const info = await next(startTimeoutMs)
  return {
    info,
    pid: child.pid,
    /** Sends `signal` (fault injection: 'SIGKILL' mid-transfer); resolves once the process is gone. */
    async kill (signal) {
      child.kill(signal)
      await exited
    },
    async command (cmd) {
      child.stdin.write(JSON.stringify(cmd) + '\n')
      return await next(commandTimeoutMs)
    },
    async stop () {
      child.stdin.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
      await exited
      clearTimeout(timer)
    }
  }
}
