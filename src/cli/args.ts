/**
 * A small argv parser, enough for the CLI and free of dependencies:
 * `--name value`, `--name=value`, boolean `--flag` and `--no-flag`, repeated
 * options collected into arrays, `--` ending the options. Unknown options are
 * a UsageError rather than silently ignored, so a typo never changes meaning.
 */
import { UsageError } from './exit-codes.js'

export interface OptionSpec {
  /** 'boolean' takes no value; 'string' takes one; 'strings' takes one per occurrence. */
  type: 'boolean' | 'string' | 'strings'
  /** Single-letter alias, e.g. 'h' for `-h`. */
  short?: string
}

export type OptionSpecs = Record<string, OptionSpec>

export type ParsedOptions = Record<string, boolean | string | string[] | undefined>

export interface ParsedArgs {
  positionals: string[]
  options: ParsedOptions
}

export function parseArgs (argv: readonly string[], specs: OptionSpecs): ParsedArgs {
  const positionals: string[] = []
  const options: ParsedOptions = {}
  const byShort = new Map(Object.entries(specs).filter(([, s]) => s.short !== undefined).map(([name, s]) => [s.short as string, name]))
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') { positionals.push(...argv.slice(i + 1)); break }
    if (!arg.startsWith('-') || arg === '-') { positionals.push(arg); continue }
    let name: string
    let inline: string | undefined
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq)
      inline = eq === -1 ? undefined : arg.slice(eq + 1)
    } else {
      const long = byShort.get(arg.slice(1))
      if (long === undefined) throw new UsageError(`unknown option ${arg}`)
      name = long
    }
    let spec = specs[name]
    if (spec === undefined && name.startsWith('no-') && specs[name.slice(3)]?.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`option --${name} takes no value`)
      options[name.slice(3)] = false
      continue
    }
    if (spec === undefined) throw new UsageError(`unknown option --${name}`)
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`option --${name} takes no value`)
      options[name] = true
      continue
    }
    let value = inline
    if (value === undefined) {
      const next = argv[i + 1]
      if (next === undefined) throw new UsageError(`option --${name} needs a value`)
      value = next
      i++
    }
    if (spec.type === 'string') options[name] = value
    else options[name] = [...(options[name] as string[] | undefined ?? []), value]
  }
  return { positionals, options }
}

/** A non-negative integer option (ports, counts); `fallback` if absent. */
export function integerOption (options: ParsedOptions, name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = options[name]
  if (raw === undefined) return fallback
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got ${String(raw)}`)
  const value = Number(raw)
  if (value < min || value > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${value}`)
  return value
}
