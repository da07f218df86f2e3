// What counts as a crash. A parser fed hostile bytes may reject them only with
// a named error (a class of ours, or of the library that owns the format,
// whose `name` says what went wrong); a built-in error (TypeError from a
// missing check, RangeError from an unchecked length, a bare Error) is a
// crash, and so is anything thrown that is not an Error at all.

const BUILT_IN = new Set(['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'AggregateError', 'InternalError'])

export class FuzzFailure extends Error {
  constructor (message, options) { super(message, options); this.name = 'FuzzFailure' }
}

/** Rethrows `err` as a FuzzFailure unless it is a named error. */
export function expectNamed (err, what = 'parser') {
  if (err instanceof Error && !BUILT_IN.has(err.name) && err.name !== 'FuzzFailure') return
  if (err instanceof FuzzFailure) throw err
  throw new FuzzFailure(`${what} threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`, { cause: err })
}

/** Runs `fn`; a named error counts as a clean rejection (returns undefined), anything else is a failure. */
export function parseOrNamed (fn, what) {
  try { return fn() } catch (err) { expectNamed(err, what); return undefined }
}

export async function parseOrNamedAsync (fn, what) {
  try { return await fn() } catch (err) { expectNamed(err, what); return undefined }
}

/** A property of a parse result did not hold. */
export function check (condition, message) {
  if (!condition) throw new FuzzFailure(message)
}
