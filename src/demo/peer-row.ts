/**
 * One table row per peer in the demo page. State lives in data-* attributes
 * (status, peer, rtt, pings, echo) as well as in the visible text, so tests
 * and scripts can read it without parsing what a human sees.
 */

export interface PeerState {
  status?: 'dialing' | 'connected' | 'disconnected' | 'failed'
  peerId?: string
  rtt?: number
  agent?: string
  protocols?: string[]
  echo?: string
  error?: string
  /** How the connection runs: 'websocket', 'relay' or 'webrtc' (direct, browser to browser). */
  via?: string
}

const COLUMNS = ['peer', 'status', 'via', 'rtt', 'pings', 'agent', 'echo', 'addr'] as const

export class PeerRow {
  readonly element: HTMLTableRowElement
  readonly #cells = new Map<string, HTMLTableCellElement>()
  #pings = 0

  constructor (addr: string) {
    this.element = document.createElement('tr')
    this.element.dataset.addr = addr
    for (const name of COLUMNS) {
      const cell = document.createElement('td')
      cell.className = name
      cell.textContent = '–'
      this.#cells.set(name, cell)
      this.element.append(cell)
    }
    this.#set('addr', addr)
  }

  #set (name: typeof COLUMNS[number], text: string, title?: string): void {
    const cell = this.#cells.get(name) as HTMLTableCellElement
    cell.textContent = text
    if (title !== undefined) cell.title = title
  }

  update (state: PeerState): void {
    const data = this.element.dataset
    if (state.status !== undefined) {
      data.status = state.status
      this.#set('status', state.status)
      if (state.status !== 'connected') { delete data.rtt; this.#set('rtt', '–') }
    }
    if (state.peerId !== undefined) {
      data.peer = state.peerId
      this.#set('peer', `…${state.peerId.slice(-10)}`, state.peerId)
    }
    if (state.via !== undefined) {
      data.via = state.via
      this.#set('via', state.via)
    }
    if (state.rtt !== undefined) {
      this.#pings++
      data.rtt = state.rtt.toFixed(3)
      data.pings = String(this.#pings)
      this.#set('rtt', `${state.rtt.toFixed(2)} ms`)
      this.#set('pings', String(this.#pings))
    }
    if (state.agent !== undefined) {
      data.agent = state.agent
      this.#set('agent', state.agent, state.protocols?.join('\n'))
    }
    if (state.protocols !== undefined) data.protocols = state.protocols.join(' ')
    if (state.echo !== undefined) {
      data.echo = state.echo
      this.#set('echo', state.echo)
    }
    if (state.error !== undefined) {
      data.error = state.error
      this.#set('status', `${data.status ?? ''}: ${state.error}`)
    }
  }
}
