// The upgrader suite with a pass-through test encrypter and a minimal test
// muxer: the upgrade logic on its own, visible on the wire.
import { upgraderSuite } from './upgrader-suite.js'
import { testEncrypter, fakePeerId, fakePrivateKey } from '../helpers/test-encrypter.js'
import { testMuxer } from '../helpers/test-muxer.js'

upgraderSuite('test encrypter + test muxer', {
  encrypter: testEncrypter,
  muxer: testMuxer,
  identity: async name => ({ privateKey: fakePrivateKey(name), peerId: fakePeerId(name) }),
  plaintext: true
}).run()
