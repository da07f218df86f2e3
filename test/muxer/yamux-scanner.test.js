// Differential tests of the yamux frame scanners: the WASM kernel (SIMD and
// scalar builds) and the JS twin must produce identical tables on random byte
// streams, and the decoder must produce the same frame events however the
// stream is split into chunks.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { useBackend } from '../../dist/wasm/backend.js'
import { JsFrameScanner, wasmFrameScanner, FrameDecoder, FrameType, encodeHeader, ScanError, MAX_STREAM_WINDOW } from '../../dist/muxer/yamux/index.js'

/** Deterministic PRNG (xorshift32) so failures reproduce. */
function rng (seed) {
  let x = seed >>> 0 || 1
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 0x100000000 }
}

/** A random frame stream: mostly valid frames, some with bad bytes when `hostile`. */
function randomStream (random, frames, hostile) {
  const parts = []
  for (let i = 0; i < frames; i++) {
    const type = hostile && random() < 0.05 ? 4 + Math.floor(random() * 250) : Math.floor(random() * 4)
    const length = type === FrameType.Data ? Math.floor(random() ** 3 * 3000) : Math.floor(random() * 0x100000000)
    const h = encodeHeader(type, Math.floor(random() * 16), Math.floor(random() * 0x100000000), length)
    if (hostile && random() < 0.03) h[0] = 1 + Math.floor(random() * 255)
    parts.push(h)
    if (type === FrameType.Data) { const p = new Uint8Array(length); for (let j = 0; j < length; j += 97) p[j] = random() * 256; parts.push(p) }
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) { out.set(p, offset); offset += p.length }
  return out
}

function scanWith (scanner, bytes, max) {
  const count = scanner.scan(bytes, max)
  return { count, consumed: scanner.consumed, table: Array.from(scanner.table.subarray(0, count * 4)) }
}

const wasmBackends = ['wasm-simd', 'wasm']

test('kernel and JS scanner agree on random frame streams cut at random points', () => {
  const random = rng(12345)
  const js = new JsFrameScanner()
  let compared = 0
  let sawError = false
  let sawPartial = false
  for (let round = 0; round < 120; round++) {
    const stream = randomStream(random, 1 + Math.floor(random() * 200), round % 2 === 1)
    const max = random() < 0.2 ? Math.floor(random() * 2000) : MAX_STREAM_WINDOW
    // Random pieces, including ones shorter than a header and ones cut mid-payload.
    for (let pos = 0; pos < stream.length;) {
      const size = Math.min(js.capacity, 1 + Math.floor(random() ** 2 * Math.min(stream.length, 65536)))
      const piece = stream.subarray(pos, pos + size)
      const expected = scanWith(js, piece, max)
      for (const backend of wasmBackends) {
        useBackend(backend)
        const wasm = wasmFrameScanner()
        assert.ok(wasm !== undefined, `${backend} scanner available`)
        assert.equal(scanWith(wasm, piece, max), expected, `${backend}, round ${round}, piece at ${pos} of ${size} bytes`)
        compared++
      }
      if (expected.count > 0) {
        const last = (expected.count - 1) * 4
        if (((expected.table[last] >>> 8) & 0xff) !== ScanError.None) sawError = true
        if ((expected.table[last] & 0xff) === FrameType.Data && expected.table[last + 3] + expected.table[last + 2] > piece.length) sawPartial = true
      }
      pos += size
    }
  }
  useBackend('auto')
  assert.ok(compared > 500, `${compared} comparisons`)
  assert.ok(sawError, 'some pieces hit a validation error')
  assert.ok(sawPartial, 'some pieces ended inside a payload')
})

test('a full 64 KiB piece of 12-byte frames fills the kernel table exactly', () => {
  const js = new JsFrameScanner()
  const count = Math.floor(js.capacity / 12)
  const piece = new Uint8Array(count * 12)
  for (let i = 0; i < count; i++) piece.set(encodeHeader(FrameType.Ping, 1, 0, i), i * 12)
  const expected = scanWith(js, piece, MAX_STREAM_WINDOW)
  assert.is(expected.count, count)
  assert.is(expected.consumed, piece.length)
  for (const backend of wasmBackends) {
    useBackend(backend)
    assert.equal(scanWith(wasmFrameScanner(), piece, MAX_STREAM_WINDOW), expected, backend)
  }
  useBackend('auto')
})

test('lengths near 2^32 do not wrap the scan position', () => {
  const piece = new Uint8Array(36)
  piece.set(encodeHeader(FrameType.Data, 0, 1, 0xfffffff0), 0)
  piece.set(encodeHeader(FrameType.Ping, 0, 0, 0), 12)
  for (const backend of wasmBackends) {
    useBackend(backend)
    const r = scanWith(wasmFrameScanner(), piece, 0xffffffff)
    assert.is(r.count, 1, backend)
    assert.is(r.consumed, 0, backend)
    assert.is(r.table[2], 0xfffffff0)
  }
  useBackend('auto')
  const r = scanWith(new JsFrameScanner(), piece, 0xffffffff)
  assert.is(r.count, 1)
  assert.is(r.consumed, 0)
})

/** Records decoder events, merging payload pieces per frame. */
function recorder () {
  const events = []
  let payload = null
  return {
    events,
    handler: {
      onHeader (type, flags, id, length) { events.push({ type, flags, id, length }); payload = [] },
      onPayload (bytes) { payload.push(...bytes) },
      onFrameEnd () { events[events.length - 1].payload = payload.join(','); payload = null }
    }
  }
}

test('the decoder yields the same frames whatever the chunking and backend', () => {
  const random = rng(777)
  let totalKernelCalls = 0
  for (let round = 0; round < 20; round++) {
    const stream = randomStream(random, 50 + Math.floor(random() * 300), false)
    const reference = recorder()
    useBackend('js')
    new FrameDecoder(reference.handler, MAX_STREAM_WINDOW).push(stream)
    assert.ok(reference.events.length > 0)
    for (const backend of ['js', 'wasm-simd', 'wasm']) {
      useBackend(backend)
      // Count the kernel calls, to be sure the WASM path was taken at all.
      const wasm = backend === 'js' ? undefined : wasmFrameScanner()
      let kernelCalls = 0
      if (wasm !== undefined) {
        const scan = wasm.scan
        wasm.scan = (bytes, max) => { kernelCalls++; return scan.call(wasm, bytes, max) }
      }
      const r = recorder()
      const decoder = new FrameDecoder(r.handler, MAX_STREAM_WINDOW)
      for (let pos = 0; pos < stream.length;) {
        const size = 1 + Math.floor(random() ** 3 * 70000)
        decoder.push(stream.subarray(pos, pos + size))
        pos += size
      }
      assert.ok(decoder.idle, 'nothing left half-read')
      assert.equal(r.events, reference.events, `${backend}, round ${round}`)
      if (wasm !== undefined) { delete wasm.scan; totalKernelCalls += kernelCalls }
    }
  }
  useBackend('auto')
  assert.ok(totalKernelCalls > 20, `the kernel scanned ${totalKernelCalls} chunks`)
})

test('a frame handler that feeds another session\'s decoder mid-dispatch: both decode every frame (the scanners are shared)', () => {
  for (const backend of ['js', 'wasm-simd']) {
    useBackend(backend)
    const random = rng(4242)
    const outer = randomStream(random, 120, false)
    const inner = randomStream(random, 120, false)
    const expected = { outer: recorder(), inner: recorder() }
    new FrameDecoder(expected.outer.handler, MAX_STREAM_WINDOW).push(outer)
    new FrameDecoder(expected.inner.handler, MAX_STREAM_WINDOW).push(inner)
    const innerSeen = recorder()
    const innerDecoder = new FrameDecoder(innerSeen.handler, MAX_STREAM_WINDOW)
    const outerSeen = recorder()
    let fed = 0
    const handler = {
      ...outerSeen.handler,
      // On each of the first headers, a slice of the other session's stream (as a relay splicing
      // synchronously would); the outer decoder's table must survive it.
      onHeader (type, flags, id, length) {
        outerSeen.handler.onHeader(type, flags, id, length)
        const size = Math.ceil(inner.length / 10)
        if (fed < inner.length) { innerDecoder.push(inner.subarray(fed, fed + size)); fed += size }
      }
    }
    new FrameDecoder(handler, MAX_STREAM_WINDOW).push(outer)
    assert.ok(fed >= inner.length, 'the inner stream was fed whole')
    assert.equal(outerSeen.events, expected.outer.events, `${backend}: outer`)
    assert.equal(innerSeen.events, expected.inner.events, `${backend}: inner`)
  }
  useBackend('auto')
})

test.run()
