/**
 * In-process transport for tests: `/memory/<name>` addresses, resolved in a
 * registry private to this module instance. A connection is two one-way pipes
 * with the same semantics as a socket: bounded buffering (a write waits while
 * the remote has more than RECEIVE_HIGH_WATER_MARK unread), half-close, and
 * an abort that the remote sees as a reset.
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { DialOptions, Listener, ListenerOptions, RawConnection, Transport } from '../types.js'
import { Inbox } from '../_inbox.js'
import { RECEIVE_HIGH_WATER_MARK } from '../constants.js'
import { ConnectionClosedError, ConnectionRefusedError, ConnectionResetError, DialAbortedError, DialError, ListenError } from '../errors.js'

const listeners = new Map<string, MemoryListener>()
let anonymous = 0

function memoryName (addr: Multiaddr): string | undefined {
  const components = addr.getComponents()
  const first = components[0]
  if (first?.name !== 'memory' || first.value === undefined) return undefined
  if (components.length > 2 || (components.length === 2 && components[1]?.name !== 'p2p')) return undefined
  return first.value
}

class MemoryConnection implements RawConnection {
  readonly remoteAddr: Multiaddr
  readonly localAddr: Multiaddr | undefined
  readonly inbox: Inbox
  remote!: MemoryConnection
  #space: Array<() => void> = []
  #writeClosed = false
  #error: Error | undefined

  constructor (localAddr: Multiaddr, remoteAddr: Multiaddr) {
    this.localAddr = localAddr
    this.remoteAddr = remoteAddr
    // The remote's writes wait on our unread bytes: that is the pipe's backpressure.
    this.inbox = new Inbox(RECEIVE_HIGH_WATER_MARK, paused => { if (!paused) this.#wakeWriters() })
  }

  #wakeWriters (): void {
    const remote = this.remote
    const waiters = remote.#space
    remote.#space = []
    for (const wake of waiters) wake()
  }

  [Symbol.asyncIterator] (): AsyncIterator<Uint8Array> { return this.inbox[Symbol.asyncIterator]() }

  async write (chunk: Uint8Array): Promise<void> {
    if (this.#error !== undefined) throw this.#error
    if (this.#writeClosed) throw new ConnectionClosedError('write after close')
    // Copy: the caller may reuse its buffer once write resolves, as with a socket.
    if (this.remote.inbox.push(chunk.slice())) return
    await new Promise<void>(resolve => { this.#space.push(resolve) })
    if (this.#error !== undefined) throw this.#error
  }

  async closeWrite (): Promise<void> {
    if (this.#writeClosed) return
    this.#writeClosed = true
    this.remote.inbox.end()
  }

  async close (): Promise<void> {
    await this.closeWrite()
    this.inbox.drop()
    this.#wakeWriters()
  }

  abort (err: Error): void {
    if (this.#error !== undefined) return
    this.#error = err
    this.#writeClosed = true
    this.inbox.fail(err)
    const waiters = this.#space
    this.#space = []
    for (const wake of waiters) wake()
    this.remote.#reset()
  }

  #reset (): void {
    if (this.#error !== undefined) return
    this.#error = new ConnectionResetError('memory connection reset by the remote')
    this.#writeClosed = true
    this.inbox.fail(this.#error)
    const waiters = this.#space
    this.#space = []
    for (const wake of waiters) wake()
  }
}

class MemoryListener implements Listener {
  readonly #options: ListenerOptions
  #addr: Multiaddr | undefined
  #name: string | undefined

  constructor (options: ListenerOptions) { this.#options = options }

  async listen (addr: Multiaddr): Promise<void> {
    let name = memoryName(addr)
    if (name === undefined) throw new ListenError(`not a memory address: ${addr.toString()}`)
    // `/memory/0` asks for a fresh name, like port 0.
    if (name === '0') name = `anon-${++anonymous}`
    if (listeners.has(name)) throw new ListenError(`memory address in use: /memory/${name}`)
    listeners.set(name, this)
    this.#name = name
    this.#addr = multiaddr(`/memory/${name}`)
  }

  accept (dialerAddr: Multiaddr): MemoryConnection {
    const listenerAddr = this.#addr as Multiaddr
    const dialerSide = new MemoryConnection(dialerAddr, listenerAddr)
    const listenerSide = new MemoryConnection(listenerAddr, dialerAddr)
    dialerSide.remote = listenerSide
    listenerSide.remote = dialerSide
    this.#options.onConnection(listenerSide)
    return dialerSide
  }

  getAddrs (): Multiaddr[] { return this.#addr === undefined ? [] : [this.#addr] }

  async close (): Promise<void> {
    if (this.#name !== undefined && listeners.get(this.#name) === this) listeners.delete(this.#name)
    this.#name = undefined
    this.#addr = undefined
  }
}

export function memory (): Transport {
  return {
    name: 'memory',
    async dial (addr: Multiaddr, options: DialOptions = {}): Promise<RawConnection> {
      const name = memoryName(addr)
      if (name === undefined) throw new DialError(`not a memory address: ${addr.toString()}`)
      if (options.signal?.aborted === true) throw new DialAbortedError(`dial to ${addr.toString()} aborted`)
      const listener = listeners.get(name)
      if (listener === undefined) throw new ConnectionRefusedError(`nothing listens on /memory/${name}`)
      await Promise.resolve() // a dial is never synchronous on a real network either
      return listener.accept(multiaddr(`/memory/dialer-${++anonymous}`))
    },
    createListener: options => new MemoryListener(options),
    dialFilter: addrs => addrs.filter(a => memoryName(a) !== undefined),
    listenFilter: addrs => addrs.filter(a => memoryName(a) !== undefined)
  }
}
