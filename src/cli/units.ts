/**
 * Byte counts and rates for humans: `parseByteSize('10MiB')` and friends.
 * Decimal (kB, MB, GB) and binary (KiB, MiB, GiB) prefixes; a bare number is bytes.
 */
import { UsageError } from './exit-codes.js'

const MULTIPLIERS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  ki: 1024,
  kib: 1024,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  gi: 1024 ** 3,
  gib: 1024 ** 3
}

/** Parses `123`, `64KiB`, `1.5MB`, `10 MiB` into a whole number of bytes; UsageError otherwise. */
export function parseByteSize (text: string, what = 'size'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text)
  const multiplier = match === null ? undefined : MULTIPLIERS[(match[2] as string).toLowerCase()]
  if (match === null || multiplier === undefined) {
    throw new UsageError(`${what}: cannot read "${text}" as a byte count (examples: 1000, 64KiB, 10MiB, 1.5GB)`)
  }
  const bytes = Math.round(Number(match[1]) * multiplier)
  if (!Number.isSafeInteger(bytes)) throw new UsageError(`${what}: ${text} is too large`)
  return bytes
}

/** `1536` → `1.50 KiB`. */
export function formatBytes (bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++ }
  return `${value.toFixed(2)} ${units[unit] as string}`
}

/** Bytes over milliseconds as `12.3 MiB/s (103 Mbit/s)`; `-` when nothing was timed. */
export function formatRate (bytes: number, ms: number): string {
  if (bytes === 0 || ms <= 0) return '-'
  const perSecond = bytes / (ms / 1000)
  return `${formatBytes(Math.round(perSecond))}/s (${(perSecond * 8 / 1e6).toFixed(1)} Mbit/s)`
}
