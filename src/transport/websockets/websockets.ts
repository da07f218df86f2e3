/**
 * WebSocket transport (websockets spec, ../shared/specs/libp2p/websockets):
 * `/ip4|ip6|dns4|dns6/<host>/tcp/<port>/ws` and `…/wss` (also written
 * `…/tls/ws`). Dialing works wherever a WebSocket constructor exists (browsers:
 * the global one; Node: `ws`); listening on `/ws` is Node only.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { SEND_TAKES_CALLBACK, webSocketConstructor } from '#transport/websocket'
import { createWebSocketListener } from '#transport/websocket-server'
import type { DialOptions, RawConnection, Transport } from '../types.js'
import { dialDeadline } from '../_abort.js'
import { DIAL_TIMEOUT_MS } from '../constants.js'
import { ConnectionRefusedError, DialError, UnsupportedTransportError } from '../errors.js'
import { hostPort } from '../tcp/_addr.js'
import { WebSocketConnection } from './socket-connection.js'

/** Multicodec of `/p2p/<id>`: stripped from the remote address of a dialed connection. */
const P2P_CODE = 421

export interface WebSocketsOptions {
  /** Dial timeout; default DIAL_TIMEOUT_MS. */
  dialTimeoutMs?: number
}

interface WebSocketTarget { url: string, secure: boolean }

/** `/…/tcp/<port>/ws`, `/wss` or `/tls/ws`, optionally followed by `/p2p/<id>` → a ws:// or wss:// URL. */
export function webSocketTarget (addr: Multiaddr): WebSocketTarget | undefined {
  const target = hostPort(addr)
  if (target === undefined) return undefined
  const names = addr.getComponents().slice(2).map(c => c.name)
  if (names.at(-1) === 'p2p') names.pop()
  let secure: boolean
  if (names.length === 1 && names[0] === 'ws') secure = false
  else if (names.length === 1 && names[0] === 'wss') secure = true
  else if (names.length === 2 && names[0] === 'tls' && names[1] === 'ws') secure = true
  else return undefined
  const host = target.family === 'ip6' ? `[${target.host}]` : target.host
  return { url: `${secure ? 'wss' : 'ws'}://${host}:${target.port}/`, secure }
}

export function webSockets (options: WebSocketsOptions = {}): Transport {
  const dialTimeoutMs = options.dialTimeoutMs ?? DIAL_TIMEOUT_MS
  return {
    name: 'websockets',
    async dial (addr: Multiaddr, dialOptions: DialOptions = {}): Promise<RawConnection> {
      const target = webSocketTarget(addr)
      if (target === undefined) throw new DialError(`not a WebSocket address: ${addr.toString()}`)
      const WebSocketImpl = webSocketConstructor()
      if (WebSocketImpl === undefined) throw new UnsupportedTransportError('no WebSocket implementation in this runtime')
      const socket = new WebSocketImpl(target.url)
      socket.binaryType = 'arraybuffer'
      const deadline = dialDeadline(addr.toString(), dialTimeoutMs, dialOptions.signal)
      const opened = new Promise<void>((resolve, reject) => {
        socket.onopen = () => { resolve() }
        socket.onerror = (event: { error?: { code?: string } } | undefined) => {
          // `ws` exposes the socket error; browsers deliberately say nothing.
          reject(event?.error?.code === 'ECONNREFUSED'
            ? new ConnectionRefusedError(`connection refused by ${addr.toString()}`, { cause: event.error })
            : new DialError(`WebSocket dial to ${addr.toString()} failed`, { cause: event?.error }))
        }
        socket.onclose = event => { reject(new ConnectionRefusedError(`WebSocket to ${addr.toString()} closed before opening (code ${event.code})`)) }
      })
      try {
        await Promise.race([opened, deadline.expired])
      } catch (err) {
        socket.onopen = socket.onerror = socket.onclose = null
        socket.onerror = () => {}
        if (socket.terminate !== undefined) socket.terminate()
        else socket.close()
        throw err
      } finally {
        deadline.clear()
      }
      return new WebSocketConnection(socket, addr.decapsulateCode(P2P_CODE), undefined, { sendTakesCallback: SEND_TAKES_CALLBACK })
    },
    createListener: listenerOptions => createWebSocketListener(listenerOptions),
    dialFilter: addrs => addrs.filter(a => webSocketTarget(a) !== undefined),
    listenFilter: addrs => addrs.filter(a => webSocketTarget(a)?.secure === false)
  }
}
