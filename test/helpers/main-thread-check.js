// What a browser app does on the main thread: await init(), then call the
// kernels synchronously. Run by test/run-browser.js on the page itself.
import { activeBackend, init, sha256 } from '../../dist/crypto/index.js'

const ABC_DIGEST = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' // FIPS 180-4 example "abc"

export async function check () {
  await init()
  const backend = activeBackend()
  const hex = Array.from(sha256(new TextEncoder().encode('abc')), b => b.toString(16).padStart(2, '0')).join('')
  if (hex !== ABC_DIGEST) throw new Error(`sha256("abc") on ${backend} gave ${hex}`)
  if (backend !== 'wasm-simd') throw new Error(`expected the wasm-simd backend in Chromium, got ${backend}`)
  return `ok: kernels on ${backend}, sha256("abc") correct`
}
