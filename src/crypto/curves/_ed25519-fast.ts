/** The fast Ed25519 path outside Node: WebCrypto (Node takes ./_ed25519-keyobject.node.ts, package.json `#curves/ed25519-fast`). */
export { generateKeyPairWebCrypto as generateKeyPairFast, signWebCrypto as signFast, verifyWebCrypto as verifyFast } from './_ed25519-webcrypto.js'
