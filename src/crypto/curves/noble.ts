/** @noble/curves as the pure-JS curve fallback (./fallback.ts). */
import { generateKeyPairNoble as ed25519Generate, publicKeyNoble as ed25519PublicKey, signNoble, verifyNoble } from './_ed25519-noble.js'
import { generateKeyPairNoble as x25519Generate, publicKeyNoble as x25519PublicKey, sharedSecretNoble } from './_x25519-noble.js'
import type { CurveFallback } from './fallback-types.js'

export const nobleCurves: CurveFallback = /* @__PURE__ */ Object.freeze({
  ed25519: Object.freeze({ generateKeyPair: ed25519Generate, getPublicKey: ed25519PublicKey, sign: signNoble, verify: verifyNoble }),
  x25519: Object.freeze({ generateKeyPair: x25519Generate, getPublicKey: x25519PublicKey, sharedSecret: sharedSecretNoble })
})
