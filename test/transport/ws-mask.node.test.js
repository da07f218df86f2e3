// The word-at-a-time WebSocket mask that replaces `ws`'s byte loop: the same bytes as the
// byte loop (RFC 6455 §5.3) at every length and alignment, in place and into another buffer,
// and installed into `ws` once the transport is loaded.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { maskInto, unmaskInPlace, requireWs, wsWordMaskInstalled } from '../../dist/transport/websockets/_ws-mask.node.js'
import '../../dist/transport/index.js'

function byteMask (source, mask, output, offset, length) {
  for (let i = 0; i < length; i++) output[offset + i] = source[i] ^ mask[i & 3]
}

const random = n => Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256))

test('maskInto matches the byte loop at every length 0..300 and every alignment of source and output', () => {
  const mask = Uint8Array.of(0x12, 0xab, 0x00, 0xff)
  const base = random(400)
  for (let length = 0; length <= 300; length++) {
    for (const [from, offset] of [[0, 0], [1, 14], [3, 8], [2, 5]]) {
      const source = base.subarray(from, from + length)
      const want = new Uint8Array(length + offset)
      const got = new Uint8Array(length + offset)
      byteMask(source, mask, want, offset, length)
      maskInto(source, mask, got, offset, length)
      assert.equal(got, want, `length ${length}, source at ${from}, output at ${offset}`)
    }
  }
})

test('unmaskInPlace undoes the mask in place, on a view into a larger buffer', () => {
  const mask = random(4)
  const plain = random(70000)
  const backing = new Uint8Array(70010)
  const view = backing.subarray(3, 3 + plain.length)
  maskInto(plain, mask, view, 0, plain.length)
  assert.not.equal(view, plain)
  unmaskInPlace(view, mask)
  assert.equal(view, plain)
  assert.ok(backing.subarray(0, 3).every(b => b === 0) && backing.subarray(3 + plain.length).every(b => b === 0), 'nothing outside the view touched')
})

test('the first requireWs() installs the functions into ws', () => {
  requireWs()
  assert.ok(wsWordMaskInstalled())
  const require = createRequire(import.meta.url)
  const util = require(join(dirname(require.resolve('ws')), 'lib', 'buffer-util.js'))
  assert.is(util.mask, maskInto)
  assert.is(util.unmask, unmaskInPlace)
})

test.run()
