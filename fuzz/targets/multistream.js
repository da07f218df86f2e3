// multistream-select 1.0 (multistream-select spec) from both ends: the
// listener (handle) reading a dialer's header and proposals, and the dialer
// (select with several protocols, and the lazy single-protocol form) reading
// a listener's header and answers, `na`, `ls` lists and refusal reasons.
import { handle, select } from '../../dist/multistream/index.js'
import { inputStream } from '../streams.js'
import { check, parseOrNamedAsync } from '../named.js'

const enc = new TextEncoder()
const msg = text => { const body = enc.encode(`${text}\n`); return Uint8Array.of(body.length, ...body) }
const cat = (...texts) => { const parts = texts.map(msg); const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { out.set(p, at); at += p.length } return out }
const PROTOCOLS = ['/noise', '/yamux/1.0.0', '/echo/1.0.0']

export default {
  name: 'multistream',
  covers: 'multistream-select listener (handle) and dialer (select, lazy select), including ls and refusals',
  async setup () {
    return {
      seeds: [
        cat('/multistream/1.0.0', '/noise'),
        cat('/multistream/1.0.0', '/tls/1.0.0', '/noise'),
        cat('/multistream/1.0.0', 'ls', '/echo/1.0.0'),
        cat('/multistream/1.0.0', 'na'),
        cat('/multistream/1.0.0', 'na', 'refused:rate-limit'),
        cat('/multistream/1.0.0', '/yamux/1.0.0'),
        Uint8Array.of(...cat('/multistream/1.0.0', '/noise'), 0, 32, 1, 2, 3)
      ],
      ctx: {}
    }
  },
  async run (input) {
    const mode = input.length > 0 ? input[input.length - 1] % 3 : 0
    const stream = inputStream(input)
    if (mode === 0) {
      const selected = await parseOrNamedAsync(() => handle(stream, PROTOCOLS, { maxAttempts: 16 }), 'handle')
      if (selected !== undefined) check(PROTOCOLS.includes(selected.protocol), `handle selected ${selected.protocol}`)
    } else if (mode === 1) {
      const selected = await parseOrNamedAsync(() => select(stream, ['/tls/1.0.0', '/noise']), 'select')
      if (selected !== undefined) check(['/tls/1.0.0', '/noise'].includes(selected.protocol), `select returned ${selected.protocol}`)
    } else {
      await parseOrNamedAsync(async () => {
        const { stream: lazy } = await select(stream, '/yamux/1.0.0')
        for await (const _ of lazy) { /* the listener's bytes after its answer */ }
      }, 'lazy select')
    }
    // The written bytes are bounded by what the parser was sent (no amplification beyond `ls` lists).
    check(stream.written <= 4096 + 8 * input.length, `wrote ${stream.written} bytes for ${input.length} in`)
  }
}
