// A strict parser of the Prometheus text exposition format 0.0.4, written from the
// format's description (HELP/TYPE lines, `name{label="value",…} value`, escapes
// \\ \" \n in label values and \\ \n in HELP). It returns the shape of
// MetricsService.snapshot(), so a scrape and a snapshot compare with deep equality.
// Browser-safe. Throws on anything malformed, so a test that parses also checks the format.

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/

function unescape (text, quotes) {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c !== '\\') { out += c; continue }
    const next = text[++i]
    if (next === '\\') out += '\\'
    else if (next === 'n') out += '\n'
    else if (next === '"' && quotes) out += '"'
    else throw new Error(`bad escape \\${next}`)
  }
  return out
}

function parseValue (text) {
  if (text === '+Inf') return Infinity
  if (text === '-Inf') return -Infinity
  if (text === 'NaN') return NaN
  if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value ${text}`)
  return Number(text)
}

/** Parses `{a="x",b="y"}` starting at text[0] === '{'; returns [labels, rest]. */
function parseLabels (text) {
  const labels = {}
  let i = 1
  while (text[i] !== '}') {
    const eq = text.indexOf('=', i)
    const name = text.slice(i, eq)
    if (!LABEL.test(name)) throw new Error(`bad label name ${name}`)
    if (text[eq + 1] !== '"') throw new Error('label value must be quoted')
    let j = eq + 2
    let raw = ''
    while (text[j] !== '"') {
      if (j >= text.length) throw new Error('unterminated label value')
      if (text[j] === '\\') { raw += text[j] + text[j + 1]; j += 2 } else raw += text[j++]
    }
    if (name in labels) throw new Error(`label ${name} twice`)
    labels[name] = unescape(raw, true)
    i = j + 1
    if (text[i] === ',') i++
    else if (text[i] !== '}') throw new Error(`expected , or } at ${text.slice(i)}`)
  }
  return [labels, text.slice(i + 1)]
}

export function parsePrometheus (text) {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a newline')
  const families = {}
  let current
  for (const line of text.split('\n').slice(0, -1)) {
    if (line.startsWith('# HELP ')) {
      const rest = line.slice(7)
      const sp = rest.indexOf(' ')
      const name = rest.slice(0, sp)
      if (!NAME.test(name)) throw new Error(`bad metric name ${name}`)
      if (families[name] !== undefined) throw new Error(`${name} twice`)
      current = families[name] = { type: undefined, help: unescape(rest.slice(sp + 1), false), series: [] }
      current.name = name
    } else if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ')
      if (current?.name !== name) throw new Error(`TYPE ${name} without its HELP just before`)
      if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type)) throw new Error(`bad type ${type}`)
      current.type = type
    } else if (line.startsWith('#') || line === '') {
      continue
    } else {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(.*)$/s.exec(line)
      if (m === null) throw new Error(`bad sample line ${line}`)
      const [, name, after] = m
      if (current?.name !== name) throw new Error(`sample of ${name} outside its family`)
      let labels = {}
      let rest = after
      if (rest.startsWith('{')) [labels, rest] = parseLabels(rest)
      if (!rest.startsWith(' ')) throw new Error(`expected a space before the value in ${line}`)
      const fields = rest.trim().split(' ')
      current.series.push({ labels, value: parseValue(fields[0]) })
    }
  }
  for (const f of Object.values(families)) delete f.name
  return families
}
