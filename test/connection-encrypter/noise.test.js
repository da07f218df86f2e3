// The compliance suite against the Noise encrypter, over the test helper's
// pair and over wasp2p's own backpressured duplexPair (src/stream/duplex-pair.ts).
import { noise, duplexPair } from '../../dist/index.js'
import { encrypterCompliance } from './compliance.js'

encrypterCompliance('noise', () => noise())
encrypterCompliance('noise over wasp2p duplexPair', () => noise(), { createPair: () => duplexPair() })
