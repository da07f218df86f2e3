/**
 * The demo page's in-browser node: the same wasp2p library as in Node,
 * bundled by build/build.js into dist/demo/app.js. It reads /config.json
 * (the serving node's WebSocket addresses) plus any `?peer=<multiaddr>`
 * query parameters, dials each peer, identifies it, checks /echo/1.0.0 once
 * when the peer offers it, then pings it every PING_INTERVAL_MS and shows the
 * round-trip times as they change. A lost peer is redialed.
 */
import { activeBackend } from '../crypto/index.js'
import type { Connection } from '../connection/connection.js'
import { createNode, type Wasp2pNode } from '../node/node.js'
import { echoHandler, ECHO_PROTOCOL } from '../node/echo.js'
import { identifyService } from '../protocols/identify/service.js'
import { init } from '../wasm/kernel.js'
import { IdentifyWatch } from './identify-watch.js'
import { PeerRow } from './peer-row.js'

/** One ping per peer per second: live enough to watch, negligible load. */
export const PING_INTERVAL_MS = 1000
/** A ping without an answer after this long (ms) counts as failed. */
export const DEMO_PING_TIMEOUT_MS = 5000
/** Dial (transport + Noise + yamux) limit, ms. */
export const DEMO_DIAL_TIMEOUT_MS = 10_000
/** Pause before redialing a lost or unreachable peer, ms. */
export const REDIAL_DELAY_MS = 3000
/** Bytes sent through /echo/1.0.0 once per peer: more than one yamux frame's worth of data. */
export const ECHO_CHECK_BYTES = 64 * 1024
/** The agent version this page's node announces. */
export const DEMO_AGENT_VERSION = 'wasp2p-browser-demo/0.1.0'

interface DemoConfig { peerId: string, peers: string[] }

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
const $ = (id: string): HTMLElement => document.getElementById(id) as HTMLElement

function log (line: string): void {
  const el = $('log')
  el.textContent = `${new Date().toLocaleTimeString()} ${line}\n${el.textContent ?? ''}`.slice(0, 4000)
}

async function echoCheck (connection: Connection): Promise<string> {
  const stream = await connection.newStream(ECHO_PROTOCOL)
  const sent = crypto.getRandomValues(new Uint8Array(ECHO_CHECK_BYTES))
  let echoing: () => void = () => {}
  const firstEcho = new Promise<void>(resolve => { echoing = resolve })
  const reading = (async () => {
    const back = new Uint8Array(ECHO_CHECK_BYTES)
    let received = 0
    for await (const chunk of stream) {
      if (received + chunk.length > back.length) throw new Error('echo sent back more than was sent')
      back.set(chunk, received)
      received += chunk.length
      echoing()
    }
    return back.subarray(0, received)
  })()
  reading.catch(() => {}).finally(echoing)
  await stream.write(sent)
  // Half-close only once the echo has begun: js-libp2p 3 misses a FIN that
  // arrives while it is still answering the (lazy) protocol selection, and
  // then never ends its side of the stream.
  await firstEcho
  await stream.closeWrite()
  const back = await reading
  if (back.length !== sent.length || !back.every((b, i) => b === sent[i])) throw new Error(`echo returned ${back.length} bytes that differ from the ${sent.length} sent`)
  return `ok (${back.length} B)`
}

async function followPeer (node: Wasp2pNode, identifiedPeers: IdentifyWatch, addr: string, row: PeerRow): Promise<never> {
  for (;;) {
    let connection: Connection | undefined
    try {
      row.update({ status: 'dialing' })
      connection = await node.dial(addr, { signal: AbortSignal.timeout(DEMO_DIAL_TIMEOUT_MS) })
      row.update({ status: 'connected', peerId: connection.remotePeer.toString() })
      log(`connected to ${connection.remotePeer.toString()}`)
      // The node identifies every new connection itself (peer:identify); a
      // second identify stream of our own would exceed js-libp2p's limit of one.
      const identified = await identifiedPeers.next(connection.remotePeer.toString(), DEMO_DIAL_TIMEOUT_MS)
      row.update({ agent: identified.agentVersion ?? '?', protocols: identified.protocols })
      if (identified.protocols.includes(ECHO_PROTOCOL)) {
        row.update({ echo: await echoCheck(connection).catch(err => `failed: ${(err as Error).message}`) })
      } else {
        row.update({ echo: 'not offered' })
      }
      while (connection.status === 'open') {
        try {
          row.update({ rtt: await node.services.ping.ping(connection, { timeout: DEMO_PING_TIMEOUT_MS }) })
        } catch (err) {
          if (connection.status !== 'open') break
          row.update({ error: `ping: ${(err as Error).message}` })
        }
        await sleep(PING_INTERVAL_MS)
      }
      row.update({ status: 'disconnected' })
      log(`lost ${connection.remotePeer.toString()}`)
    } catch (err) {
      row.update({ status: 'failed', error: `${(err as Error).name}: ${(err as Error).message}` })
      connection?.abort(err as Error)
    }
    await sleep(REDIAL_DELAY_MS)
  }
}

async function run (): Promise<void> {
  await init()
  $('backend').textContent = activeBackend()
  const config = await (await fetch('/config.json')).json() as DemoConfig
  const extra = new URLSearchParams(location.search).getAll('peer')
  const targets = [...config.peers, ...extra]

  const node = await createNode({ listen: [], services: { identify: identifyService({ agentVersion: DEMO_AGENT_VERSION }) } })
  node.handle(ECHO_PROTOCOL, echoHandler)
  const identifiedPeers = new IdentifyWatch(node)
  $('self-peer-id').textContent = node.peerId.toString()
  $('status').textContent = `running; dialing ${targets.length} peer${targets.length === 1 ? '' : 's'}`
  Object.assign(globalThis, { wasp2pDemo: { node, services: node.services } })

  const body = $('peers')
  for (const addr of targets) {
    const row = new PeerRow(addr)
    body.append(row.element)
    void followPeer(node, identifiedPeers, addr, row)
  }
}

run().catch(err => {
  $('status').textContent = `failed: ${(err as Error).stack ?? String(err)}`
})
