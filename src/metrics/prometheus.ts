/**
 * The Prometheus text exposition format, version 0.0.4 (the format every
 * Prometheus server scrapes): per metric family a `# HELP` and a `# TYPE`
 * line, then one line per series, `name{label="value",…} number`, lines
 * ended by `\n`. Label values escape backslash, double quote and newline;
 * HELP text escapes backslash and newline. Names match
 * `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names `[a-zA-Z_][a-zA-Z0-9_]*`.
 */

/** The Content-Type a scrape answer carries. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

export function checkMetricName (name: string): void {
  if (!METRIC_NAME.test(name)) throw new RangeError(`invalid metric name ${JSON.stringify(name)}`)
}

export function checkLabelName (name: string): void {
  if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new RangeError(`invalid label name ${JSON.stringify(name)}`)
}

export function escapeLabelValue (value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

export function escapeHelp (text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

export function formatValue (value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return String(value)
}

export function formatLabels (names: readonly string[], values: readonly string[]): string {
  if (names.length === 0) return ''
  return `{${names.map((n, i) => `${n}="${escapeLabelValue(values[i] ?? '')}"`).join(',')}}`
}
