// Test vectors copied from the standards (hex unless noted), shared by the crypto tests.
// Helpers here are plain JS so that the browser bundle can use them too.

const text = s => new TextEncoder().encode(s)
const fill = (byte, n) => new Uint8Array(n).fill(byte)
const range = (from, to) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i)

export const hex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
export const fromHex = s => Uint8Array.from(s.match(/../g) ?? [], h => parseInt(h, 16))

/** FIPS 180-4 / NIST CSRC SHA-256 examples. */
export const SHA256_VECTORS = [
  { name: 'empty', message: () => new Uint8Array(0), digest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
  { name: '"abc" (one block)', message: () => text('abc'), digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
  { name: '448-bit message (two blocks)', message: () => text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), digest: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1' },
  { name: '896-bit message', message: () => text('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu'), digest: 'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1' },
  { name: 'one million "a"', message: () => fill(0x61, 1_000_000), digest: 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0' }
]

/** RFC 4231 §4.2–4.8: HMAC-SHA-256 test cases 1–7 (case 5 compares the first 128 bits). */
export const HMAC_SHA256_VECTORS = [
  { name: 'RFC 4231 case 1', key: fill(0x0b, 20), data: text('Hi There'), mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
  { name: 'RFC 4231 case 2 (short key)', key: text('Jefe'), data: text('what do ya want for nothing?'), mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
  { name: 'RFC 4231 case 3', key: fill(0xaa, 20), data: fill(0xdd, 50), mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' },
  { name: 'RFC 4231 case 4', key: range(0x01, 0x19), data: fill(0xcd, 50), mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b' },
  { name: 'RFC 4231 case 5 (truncation to 128 bits)', key: fill(0x0c, 20), data: text('Test With Truncation'), mac: 'a3b6167473100ee06e0c796c2955552b', truncate: 16 },
  { name: 'RFC 4231 case 6 (key larger than a block)', key: fill(0xaa, 131), data: text('Test Using Larger Than Block-Size Key - Hash Key First'), mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54' },
  { name: 'RFC 4231 case 7 (key and data larger than a block)', key: fill(0xaa, 131), data: text('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'), mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2' }
]

/** RFC 5869 Appendix A.1–A.3: HKDF-SHA-256 test cases 1–3. */
export const HKDF_SHA256_VECTORS = [
  {
    name: 'RFC 5869 case 1 (basic)',
    ikm: fill(0x0b, 22), salt: range(0x00, 0x0c), info: range(0xf0, 0xf9), length: 42,
    prk: '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5',
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'
  },
  {
    name: 'RFC 5869 case 2 (longer inputs and outputs)',
    ikm: range(0x00, 0x4f), salt: range(0x60, 0xaf), info: range(0xb0, 0xff), length: 82,
    prk: '06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244',
    okm: 'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87'
  },
  {
    name: 'RFC 5869 case 3 (zero-length salt and info)',
    ikm: fill(0x0b, 22), salt: new Uint8Array(0), info: new Uint8Array(0), length: 42,
    prk: '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04',
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8'
  }
]
