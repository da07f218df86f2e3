/** The fast X25519 path outside Node: WebCrypto (Node takes ./_x25519-keyobject.node.ts, package.json `#curves/x25519-fast`). */
export { generateKeyPairWebCrypto as generateKeyPairFast, sharedSecretWebCrypto as sharedSecretFast } from './_x25519-webcrypto.js'
