// The other end of json-line-child.js, inside a peer process: prints `hello`
// as the first line, then answers each JSON command on stdin with one JSON
// line from `run(command)` ({ ok: false, error } when it throws). `stop`
// (or stdin closing) calls `stop()` once, then exits.
import { createInterface } from 'node:readline'

export function serveJsonLines ({ hello, run, stop }) {
  const reply = obj => { process.stdout.write(JSON.stringify(obj) + '\n') }
  reply(hello)
  let stopping = false
  const shutdown = async () => {
    if (stopping) return
    stopping = true
    await stop()
    process.exit(0)
  }
  const lines = createInterface({ input: process.stdin })
  lines.on('line', line => {
    if (line.trim() === '') return
    let command
    try { command = JSON.parse(line) } catch { reply({ ok: false, error: 'bad JSON' }); return }
    if (command.cmd === 'stop') { void shutdown(); return }
    run(command).then(reply, err => reply({ ok: false, error: `${err.name}: ${err.message}` }))
  })
  lines.on('close', () => { void shutdown() })
}
