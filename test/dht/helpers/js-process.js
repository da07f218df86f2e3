// Starts a js-libp2p helper script as a child process that speaks JSON lines on stdio.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

export async function startJsProcess (script, args = [], { startTimeoutMs = 120_000, commandTimeoutMs = 120_000 } = {}) {
  const child = spawn(process.execPath, [script, ...args.map(String)], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', d => { stderr = (stderr + d).slice(-4000) })
  const exited = new Promise(resolve => child.once('exit', resolve))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = timeoutMs => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`js process silent for ${timeoutMs} ms: ${stderr}`)), timeoutMs)
    lines.next().then(({ value, done }) => {
      clearTimeout(timer)
      if (done) reject(new Error(`js process exited: ${stderr}`))
      else resolve(JSON.parse(value))
    }, err => { clearTimeout(timer); reject(err) })
  })
  const info = await next(startTimeoutMs)
  return {
    info,
    async command (cmd) {
      child.stdin.write(JSON.stringify(cmd) + '\n')
      return await next(commandTimeoutMs)
    },
    async stop () {
      child.stdin.end('exit\n')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
  }
}
