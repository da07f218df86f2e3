// Curves, keys, PeerIds and signed records: wasp2p's WebCrypto path against its noble
// fallback and against js-libp2p's packages, same run.
import { runBench, saveReport, randomBytes } from './harness.js'
import { x25519, ed25519 } from '../dist/crypto/index.js'
import { x25519Paths } from '../dist/crypto/curves/x25519.js'
import { ed25519Paths } from '../dist/crypto/curves/ed25519.js'
import { generateKeyPair, peerIdFromPrivateKey, peerIdFromString, PeerRecord, RecordEnvelope } from '../dist/index.js'
import * as jsKeys from '@libp2p/crypto/keys'
import * as jsPeerId from '@libp2p/peer-id'
import { RecordEnvelope as JsEnvelope, PeerRecord as JsPeerRecord } from '@libp2p/peer-record'
import { multiaddr } from '@multiformats/multiaddr'
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js'

const ADDRS = ['/ip4/127.0.0.1/tcp/4001', '/ip4/127.0.0.1/tcp/4002/ws']

export async function run (options = {}) {
  const groups = []

  const a = await x25519.generateKeyPair()
  const b = x25519.generateKeyPairSync()
  groups.push({
    name: 'x25519 shared secret',
    baseline: '@noble/curves',
    cases: [
      { name: 'wasp2p (WebCrypto)', fn: () => x25519.sharedSecret(a.privateKey, b.publicKey) },
      { name: 'wasp2p sync (noble)', fn: () => x25519.sharedSecretSync(a.privateKey, b.publicKey) },
      { name: '@noble/curves', fn: () => nobleX25519.getSharedSecret(a.privateKey, b.publicKey) }
    ]
  })
  groups.push({
    name: 'x25519 generate key pair',
    baseline: '@noble/curves',
    cases: [
      { name: 'wasp2p (WebCrypto)', fn: () => x25519.generateKeyPair() },
      { name: 'wasp2p sync (noble)', fn: () => x25519.generateKeyPairSync() },
      { name: '@noble/curves', fn: () => { const k = nobleX25519.utils.randomSecretKey(); return nobleX25519.getPublicKey(k) } }
    ]
  })

  const message = randomBytes(256)
  const ours = await generateKeyPair('Ed25519')
  const js = await jsKeys.generateKeyPair('Ed25519')
  const ourSig = await ours.sign(message)
  const jsSig = await js.sign(message)
  const seed = ours.raw.subarray(0, 32)
  groups.push({
    name: 'ed25519 sign 256 B',
    baseline: 'js-libp2p @libp2p/crypto',
    cases: [
      { name: 'wasp2p key (WebCrypto)', fn: () => ours.sign(message) },
      { name: 'wasp2p noble path', fn: () => ed25519Paths.noble.sign(message, seed) },
      { name: 'js-libp2p @libp2p/crypto', fn: () => js.sign(message) }
    ]
  })
  groups.push({
    name: 'ed25519 verify 256 B',
    baseline: 'js-libp2p @libp2p/crypto',
    cases: [
      { name: 'wasp2p key (WebCrypto)', fn: () => ours.publicKey.verify(message, ourSig) },
      { name: 'wasp2p noble path', fn: () => ed25519.verifySync(ourSig, message, ours.publicKey.raw) },
      { name: 'js-libp2p @libp2p/crypto', fn: () => js.publicKey.verify(message, jsSig) }
    ]
  })

  const text = peerIdFromPrivateKey(ours).toString()
  groups.push({
    name: 'peerIdFromString (Ed25519)',
    baseline: 'js-libp2p @libp2p/peer-id',
    cases: [
      { name: 'wasp2p', fn: () => peerIdFromString(text) },
      { name: 'js-libp2p @libp2p/peer-id', fn: () => jsPeerId.peerIdFromString(text) }
    ]
  })

  const record = new PeerRecord({ peerId: peerIdFromPrivateKey(ours), multiaddrs: ADDRS })
  const sealed = (await RecordEnvelope.seal(record, ours)).marshal()
  const jsRecord = new JsPeerRecord({ peerId: jsPeerId.peerIdFromPrivateKey(js), multiaddrs: ADDRS.map(m => multiaddr(m)) })
  const jsSealed = (await JsEnvelope.seal(jsRecord, js)).marshal()
  groups.push({
    name: 'peer record: open, verify, decode',
    baseline: 'js-libp2p @libp2p/peer-record',
    cases: [
      { name: 'wasp2p', fn: () => PeerRecord.consumeEnvelope(sealed) },
      { name: 'js-libp2p @libp2p/peer-record', fn: async () => JsPeerRecord.createFromProtobuf((await JsEnvelope.openAndCertify(jsSealed, JsPeerRecord.DOMAIN)).payload) }
    ]
  })

  return await runBench({ name: 'identity', groups, rounds: options.rounds ?? 7, sampleMs: 30, warmupMs: 80 })
}

if (import.meta.url === `file://${globalThis.process?.argv?.[1]}`) {
  const report = await run()
  const file = await saveReport(report)
  if (file) console.log(`\nwrote ${file}`)
}
