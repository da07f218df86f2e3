/**
 * Counters and gauges with labels, and their two renderings: Prometheus
 * text (./prometheus.ts) and a plain object for code (browsers included).
 * A series is found by its label values once and then updated directly, so
 * a hot path (bytes of a stream) holds its series and pays one addition.
 */
import { checkLabelName, checkMetricName, escapeHelp, formatLabels, formatValue } from './prometheus.js'

export type MetricType = 'counter' | 'gauge'

/** One series: a value and the label values that name it. */
export class Series {
  value = 0
  constructor (readonly labels: readonly string[]) {}
  inc (n = 1): void { this.value += n }
  dec (n = 1): void { this.value -= n }
  set (v: number): void { this.value = v }
}

/** One metric family as a snapshot holds it. */
export interface FamilySnapshot {
  type: MetricType
  help: string
  series: Array<{ labels: Record<string, string>, value: number }>
}

export type MetricsSnapshot = Record<string, FamilySnapshot>

/**
 * Most series one family keeps: 1,000. Labels come from our own names and the
 * protocols we negotiated, but a bound keeps a bug (or a remote choosing
 * error names) from growing memory; past it updates land in one overflow
 * series labelled `_overflow`.
 */
export const MAX_SERIES_PER_FAMILY = 1_000

export class Family {
  readonly #series = new Map<string, Series>()
  #overflow: Series | undefined

  constructor (readonly name: string, readonly type: MetricType, readonly help: string, readonly labelNames: readonly string[] = []) {
    checkMetricName(name)
    for (const l of labelNames) checkLabelName(l)
  }

  /** The series with these label values (in labelNames order), made on first use. */
  with (...values: string[]): Series {
    const key = values.join('\u0000')
    let series = this.#series.get(key)
    if (series === undefined) {
      if (this.#series.size >= MAX_SERIES_PER_FAMILY) {
        this.#overflow ??= new Series(this.labelNames.map(() => '_overflow'))
        return this.#overflow
      }
      series = new Series(values)
      this.#series.set(key, series)
    }
    return series
  }

  all (): Series[] { return this.#overflow === undefined ? [...this.#series.values()] : [...this.#series.values(), this.#overflow] }

  text (): string {
    let out = `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n`
    for (const s of this.all()) out += `${this.name}${formatLabels(this.labelNames, s.labels)} ${formatValue(s.value)}\n`
    return out
  }

  snapshot (): FamilySnapshot {
    return {
      type: this.type,
      help: this.help,
      series: this.all().map(s => ({ labels: Object.fromEntries(this.labelNames.map((n, i) => [n, s.labels[i] ?? ''])), value: s.value }))
    }
  }
}

export class Registry {
  readonly #families: Family[] = []

  counter (name: string, help: string, labelNames: readonly string[] = []): Family { return this.#add(new Family(name, 'counter', help, labelNames)) }
  gauge (name: string, help: string, labelNames: readonly string[] = []): Family { return this.#add(new Family(name, 'gauge', help, labelNames)) }

  #add (family: Family): Family {
    if (this.#families.some(f => f.name === family.name)) throw new RangeError(`metric ${family.name} is already registered`)
    this.#families.push(family)
    return family
  }

  text (): string { return this.#families.map(f => f.text()).join('') }

  snapshot (): MetricsSnapshot {
    const out: MetricsSnapshot = {}
    for (const f of this.#families) out[f.name] = f.snapshot()
    return out
  }
}
