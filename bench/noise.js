// Noise (noise-libp2p) handshake and transport throughput over in-memory
// connections: wasp2p's `noise()` against @chainsafe/libp2p-noise v17 (what
// js-libp2p uses), same run, interleaved rounds. Node only for the competitor
// (it needs js-libp2p's MessageStream pair); wasp2p rows also run in Chromium.
// Each side runs over its own library's in-memory pair (both backpressured).
import { runBench, saveReport, randomBytes } from './harness.js'
import { noise, duplexPair } from '../dist/index.js'
import { createIdentity } from '../test/connection-encrypter/_identity.js'

const TRANSPORT_BYTES = 1 << 20
const WRITE_SIZE = 64 * 1024

async function ourPair (encrypter, dialer, listener) {
  const [a, b] = duplexPair()
  const [outbound, inbound] = await Promise.all([
    encrypter.secureOutbound(a, { privateKey: dialer.privateKey, remotePeer: listener.peerId, streamMuxers: ['/yamux/1.0.0'] }),
    encrypter.secureInbound(b, { privateKey: listener.privateKey, streamMuxers: ['/yamux/1.0.0'] })
  ])
  return { outbound, inbound }
}

async function ourTransfer (pair, data) {
  const iterator = pair.inbound.stream[Symbol.asyncIterator]()
  let received = 0
  const reading = (async () => {
    while (received < TRANSPORT_BYTES) received += (await iterator.next()).value.length
  })()
  for (let offset = 0; offset < TRANSPORT_BYTES; offset += WRITE_SIZE) await pair.outbound.stream.write(data.subarray(offset, offset + WRITE_SIZE))
  await reading
  await iterator.return()
}

/** @chainsafe/libp2p-noise over @libp2p/utils' in-memory MultiaddrConnection pair, or undefined where it cannot load. */
async function loadChainsafe () {
  if (globalThis.process?.versions?.node === undefined) return undefined
  // js-libp2p 3 expects Node 22's Promise.withResolvers; wasp2p itself needs no shim.
  Promise.withResolvers ??= function () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
  const [{ noise: chainsafeNoise }, { generateKeyPair }, { peerIdFromPrivateKey }, { defaultLogger }, { multiaddrConnectionPair }] = await Promise.all([
    import('@chainsafe/libp2p-noise'), import('@libp2p/crypto/keys'), import('@libp2p/peer-id'), import('@libp2p/logger'), import('@libp2p/utils')
  ])
  const make = async () => {
    const privateKey = await generateKeyPair('Ed25519')
    const components = { privateKey, logger: defaultLogger(), upgrader: { getStreamMuxers: () => new Map([['/yamux/1.0.0', { protocol: '/yamux/1.0.0' }]]) } }
    return { encrypter: chainsafeNoise()(components), peerId: peerIdFromPrivateKey(privateKey) }
  }
  const dialer = await make()
  const listener = await make()
  return {
    async pair () {
      const [a, b] = multiaddrConnectionPair()
      const [outbound, inbound] = await Promise.all([
        dialer.encrypter.secureOutbound(a, { remotePeer: listener.peerId }),
        listener.encrypter.secureInbound(b)
      ])
      return { outbound: outbound.connection, inbound: inbound.connection }
    },
    async transfer (pair, data) {
      let received = 0
      const done = new Promise(resolve => {
        const onMessage = event => {
          received += event.data.byteLength
          if (received >= TRANSPORT_BYTES) { pair.inbound.removeEventListener('message', onMessage); resolve() }
        }
        pair.inbound.addEventListener('message', onMessage)
      })
      for (let offset = 0; offset < TRANSPORT_BYTES; offset += WRITE_SIZE) {
        if (!pair.outbound.send(data.subarray(offset, offset + WRITE_SIZE))) await pair.outbound.onDrain()
      }
      await done
    }
  }
}

export async function run (options = {}) {
  const encrypter = noise()
  const dialer = await createIdentity()
  const listener = await createIdentity()
  const chainsafe = await loadChainsafe().catch(err => { console.log(`(@chainsafe/libp2p-noise unavailable: ${err.message})`); return undefined })
  const data = randomBytes(TRANSPORT_BYTES)
  const ourLongLived = await ourPair(encrypter, dialer, listener)
  const theirLongLived = await chainsafe?.pair()

  const handshake = { name: 'noise XX handshake, in-memory pair (both sides)', baseline: 'wasp2p', cases: [{ name: 'wasp2p', fn: () => ourPair(encrypter, dialer, listener) }] }
  const transport = { name: `noise transport ${TRANSPORT_BYTES >> 20} MiB one way, ${WRITE_SIZE >> 10} KiB writes, in-memory`, bytes: TRANSPORT_BYTES, baseline: 'wasp2p', cases: [{ name: 'wasp2p', fn: () => ourTransfer(ourLongLived, data) }] }
  if (chainsafe !== undefined) {
    handshake.cases.push({ name: '@chainsafe/libp2p-noise', fn: () => chainsafe.pair() })
    transport.cases.push({ name: '@chainsafe/libp2p-noise', fn: () => chainsafe.transfer(theirLongLived, data) })
  }
  return await runBench({ name: 'noise', groups: [handshake, transport], rounds: options.rounds ?? 7, sampleMs: 100, warmupMs: 200 })
}

if (import.meta.url === `file://${globalThis.process?.argv?.[1]}`) {
  const report = await run()
  const file = await saveReport(report)
  if (file) console.log(`\nwrote ${file}`)
}
