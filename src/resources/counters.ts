/** The counters every scope keeps, and what `usage()` reports of them. */

export type Direction = 'inbound' | 'outbound'

export interface DirectionCounts { inbound: number, outbound: number }

/** The use of one scope, as `node.resources()` reports it. */
export interface ScopeUsage {
  connections: DirectionCounts
  streams: DirectionCounts
  /** Bytes received and not yet read. */
  memory: number
}

/** Counters of one scope. */
export class Counters {
  connIn = 0
  connOut = 0
  streamIn = 0
  streamOut = 0
  memory = 0

  get connections (): number { return this.connIn + this.connOut }
  get streams (): number { return this.streamIn + this.streamOut }

  add (kind: 'conn' | 'stream', direction: Direction, n: number): void {
    if (kind === 'conn') { if (direction === 'inbound') this.connIn += n; else this.connOut += n } else if (direction === 'inbound') this.streamIn += n; else this.streamOut += n
  }

  usage (): ScopeUsage {
    return { connections: { inbound: this.connIn, outbound: this.connOut }, streams: { inbound: this.streamIn, outbound: this.streamOut }, memory: this.memory }
  }
}

export class ProtocolCounters {
  inbound = 0
  outbound = 0
  get streams (): number { return this.inbound + this.outbound }
}
