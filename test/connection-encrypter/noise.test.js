// The compliance suite against the Noise encrypter.
import { noise } from '../../dist/index.js'
import { encrypterCompliance } from './compliance.js'

encrypterCompliance('noise', () => noise())
