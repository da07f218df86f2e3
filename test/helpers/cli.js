// Runs the built `wasp2p` CLI (dist/cli/main.js) as child processes (Node only).
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))
/** A one-shot command (ping, perf) gets this long before it is killed and the test fails. */
export const RUN_TIMEOUT_MS = 30_000
/** `start` must print its addresses within this. */
export const START_TIMEOUT_MS = 20_000

/** Runs `wasp2p ...args` to completion: { code, signal, stdout, stderr }. */
export function runCli (args, { timeoutMs = RUN_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => { stdout += d })
    child.stderr.on('data', d => { stderr += d })
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`wasp2p ${args.join(' ')} ran over ${timeoutMs} ms\n${stdout}\n${stderr}`)) }, timeoutMs)
    child.once('error', err => { clearTimeout(timer); reject(err) })
    child.once('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }) })
  })
}

/**
 * Starts `wasp2p start` on free ports (mDNS off unless `extraArgs` has `--mdns`); resolves once it has printed its
 * addresses: { peerId, tcpAddr, wsAddr, demoUrl, output(), stop(signal) → exit code }.
 */
export function startCli (extraArgs = [], { wrap = [] } = {}) {
  // mDNS stays off unless a test asks for it (`--mdns`): CLI nodes of concurrent test runs
  // on one machine would otherwise discover and dial each other over loopback.
  const mdnsArgs = extraArgs.includes('--mdns') ? [] : ['--no-mdns']
  // `wrap`: a command to run the CLI under, e.g. ['ip', 'netns', 'exec', '<namespace>'].
  const [command, ...prefix] = [...wrap, process.execPath]
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, CLI, 'start', '--port-tcp', '0', '--port-ws', '0', '--http-port', '0', ...mdnsArgs, ...extraArgs],
      { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', d => { stderr += d })
    const exited = new Promise(resolve => child.once('exit', (code, signal) => resolve({ code, signal })))
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`wasp2p start printed no addresses in ${START_TIMEOUT_MS} ms\n${stdout}\n${stderr}`)) }, START_TIMEOUT_MS)
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`wasp2p start exited early (${code})\n${stdout}\n${stderr}`)) })
    createInterface({ input: child.stdout }).on('line', line => {
      stdout += line + '\n'
      if (!line.startsWith('press Ctrl-C')) return
      clearTimeout(timer)
      const addrs = [...stdout.matchAll(/^ {2}(\/\S+)$/gm)].map(m => m[1])
      resolve({
        peerId: /^peer id: (\S+)$/m.exec(stdout)?.[1],
        addrs,
        tcpAddr: addrs.find(a => !a.includes('/ws')),
        wsAddr: addrs.find(a => a.includes('/ws')),
        demoUrl: /^demo page: (\S+)$/m.exec(stdout)?.[1],
        output: () => stdout + stderr,
        exited,
        /** Sends `signal` and waits (bounded) for the process to exit by itself. */
        async stop (signal = 'SIGINT', timeoutMs = 15_000) {
          child.kill(signal)
          let killTimer
          const result = await Promise.race([exited, new Promise(resolve => { killTimer = setTimeout(() => resolve(undefined), timeoutMs) })])
          clearTimeout(killTimer)
          if (result === undefined) { child.kill('SIGKILL'); await exited; return { code: null, signal: 'SIGKILL', hung: true } }
          return result
        }
      })
    })
  })
}
