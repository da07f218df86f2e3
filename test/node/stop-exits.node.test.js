// stop() leaves no open handle: a child process creates nodes, connects them
// (TCP and WS, ping, echo, perf, bootstrap), stops them and must then exit by
// itself within EXIT_WITHIN_MS.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const CHILD = fileURLToPath(new URL('./fixtures/stop-exits-child.js', import.meta.url))
const RUN_TIMEOUT_MS = 30_000
const EXIT_WITHIN_MS = 3_000

test('after stop() the process exits by itself', async () => {
  const child = spawn(process.execPath, [CHILD], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let stoppedAt
  child.stdout.on('data', d => { stdout += d; if (stoppedAt === undefined && stdout.includes('stopped')) stoppedAt = Date.now() })
  child.stderr.on('data', d => { stderr += d })
  const result = await new Promise(resolve => {
    const killer = setTimeout(() => { child.kill('SIGKILL'); resolve({ killed: true }) }, RUN_TIMEOUT_MS)
    const watchdog = setInterval(() => {
      if (stoppedAt !== undefined && Date.now() - stoppedAt > EXIT_WITHIN_MS) { child.kill('SIGKILL'); resolve({ hung: true }) }
    }, 100)
    child.once('exit', code => { clearTimeout(killer); clearInterval(watchdog); resolve({ code }) })
  })
  assert.ok(stdout.includes('stopped 0'), `child output: ${stdout} ${stderr.slice(-2000)}`)
  assert.not.ok(result.hung, `the process was still alive ${EXIT_WITHIN_MS} ms after stop()`)
  assert.not.ok(result.killed, 'the child did not finish')
  assert.is(result.code, 0, stderr.slice(-2000))
})

test.run()
