// The CLI's dependency-free argv parser and byte-size units (no Node APIs: also runs in Chromium).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { integerOption, parseArgs } from '../../dist/cli/args.js'
import { parseByteSize, formatBytes, formatRate } from '../../dist/cli/units.js'
import { CliError, EXIT_USAGE, UsageError } from '../../dist/cli/exit-codes.js'

const SPECS = {
  count: { type: 'string', short: 'c' },
  listen: { type: 'strings', short: 'l' },
  demo: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
}

function usageError (fn, message) {
  try { fn() } catch (err) {
    assert.instance(err, UsageError)
    assert.instance(err, CliError)
    assert.is(err.exitCode, EXIT_USAGE)
    assert.match(err.message, message)
    return
  }
  assert.unreachable('expected a UsageError')
}

test('positionals, --name value, --name=value, short aliases, repeated options, booleans, --no-', () => {
  const { positionals, options } = parseArgs(['/ip4/1.2.3.4/tcp/1', '-c', '5', '--listen', 'a', '-l', 'b', '--listen=c', '--no-demo', '-h'], SPECS)
  assert.equal(positionals, ['/ip4/1.2.3.4/tcp/1'])
  assert.is(options.count, '5')
  assert.equal(options.listen, ['a', 'b', 'c'])
  assert.is(options.demo, false)
  assert.is(options.help, true)
})

test('-- ends options; a lone - is a positional; a value may start with a dash', () => {
  const { positionals, options } = parseArgs(['--count', '-3', '--', '--demo', '-'], SPECS)
  assert.is(options.count, '-3')
  assert.equal(positionals, ['--demo', '-'])
})

test('unknown options, missing values and values on booleans are usage errors', () => {
  usageError(() => parseArgs(['--cuont', '1'], SPECS), /unknown option --cuont/)
  usageError(() => parseArgs(['-x'], SPECS), /unknown option -x/)
  usageError(() => parseArgs(['--count'], SPECS), /needs a value/)
  usageError(() => parseArgs(['--demo=yes'], SPECS), /takes no value/)
  usageError(() => parseArgs(['--no-count'], SPECS), /unknown option --no-count/)
})

test('integerOption: default, range, non-numbers', () => {
  assert.is(integerOption({}, 'count', 7), 7)
  assert.is(integerOption({ count: '65535' }, 'count', 0, { max: 65535 }), 65535)
  usageError(() => integerOption({ count: '65536' }, 'count', 0, { max: 65535 }), /between 0 and 65535/)
  usageError(() => integerOption({ count: '1.5' }, 'count', 0), /whole number/)
  usageError(() => integerOption({ count: '-1' }, 'count', 0), /whole number/)
  usageError(() => integerOption({ count: '0' }, 'count', 1, { min: 1 }), /between 1/)
})

test('parseByteSize: bare bytes, decimal and binary units, case, spaces, fractions', () => {
  assert.is(parseByteSize('0'), 0)
  assert.is(parseByteSize('1234'), 1234)
  assert.is(parseByteSize('10MiB'), 10 * 1024 * 1024)
  assert.is(parseByteSize('10 mib'), 10 * 1024 * 1024)
  assert.is(parseByteSize('64KiB'), 65536)
  assert.is(parseByteSize('1.5MB'), 1_500_000)
  assert.is(parseByteSize('2GiB'), 2 * 1024 ** 3)
  assert.is(parseByteSize('500kB'), 500_000)
  assert.is(parseByteSize('7B'), 7)
  for (const bad of ['', 'MiB', '-1', '1e6', '10 parsecs', '1..2KiB', '0x10']) usageError(() => parseByteSize(bad), /cannot read/)
  usageError(() => parseByteSize('99999999999GiB'), /too large/)
})

test('formatBytes and formatRate', () => {
  assert.is(formatBytes(1023), '1023 B')
  assert.is(formatBytes(1536), '1.50 KiB')
  assert.is(formatBytes(10 * 1024 * 1024), '10.00 MiB')
  assert.is(formatRate(0, 10), '-')
  assert.is(formatRate(1024 * 1024, 1000), '1.00 MiB/s (8.4 Mbit/s)')
})

test.run()
