// startProtocolServices on two in-process hosts joined by in-memory streams: ping,
// identify (with a real signed peer record), push, opt-in perf, and a clean stop.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import {
  startProtocolServices, DEFAULT_AGENT_VERSION, PING_PROTOCOL, IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, PERF_PROTOCOL
} from '../../dist/protocols/index.js'
import { streamPair } from '../helpers/stream-pair.js'
import { realPeer } from '../helpers/test-peer.js'

async function makeHost (port) {
  const { privateKey, peerId } = await realPeer()
  const handlers = new Map()
  const host = {
    privateKey,
    peerId,
    addrs: [multiaddr(`/ip4/127.0.0.1/tcp/${port}/p2p/${peerId.toString()}`)],
    connections: [],
    handle: (protocol, handler) => { handlers.set(protocol, handler) },
    unhandle: protocol => { handlers.delete(protocol) },
    getProtocols: () => [...handlers.keys()],
    getMultiaddrs: () => host.addrs,
    getConnections: () => host.connections,
    handlers
  }
  return host
}

function connect (from, to) {
  const connection = {
    remotePeer: to.peerId,
    remoteAddr: to.addrs[0],
    newStream: async protocol => {
      const handler = to.handlers.get(protocol)
      if (handler === undefined) throw new Error(`${protocol} not supported`)
      const [out, inbound] = streamPair()
      handler(inbound, { remotePeer: from.peerId, remoteAddr: from.addrs[0], newStream: async () => { throw new Error('unused') } })
      return out
    }
  }
  from.connections.push(connection)
  return connection
}

test('two hosts: ping, identify with a certified record, push after a change, perf only where enabled', async () => {
  const a = await makeHost(1001)
  const b = await makeHost(1002)
  const sa = await startProtocolServices(a, { pushDebounce: 10 })
  const sb = await startProtocolServices(b, { perf: true, agentVersion: 'b/1' })
  assert.equal(a.getProtocols().sort(), [IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, PING_PROTOCOL].sort())
  assert.ok(b.getProtocols().includes(PERF_PROTOCOL))
  assert.is(sa.perf, undefined)

  const ab = connect(a, b)
  connect(b, a)
  assert.ok(await sa.ping.ping(ab) >= 0)

  const result = await sa.identify.identify(ab)
  assert.is(result.agentVersion, 'b/1')
  assert.ok(result.peerRecord !== undefined, 'b\'s record verified')
  assert.equal(result.listenAddrs.map(String), ['/ip4/127.0.0.1/tcp/1002'], '/p2p/ stripped from listen addresses')
  assert.ok(result.protocols.includes(PERF_PROTOCOL))

  const r = await sb.perf.perf(connect(b, b), { upload: 1000, download: 2000 }) // b to itself: perf is b's only
  assert.is(r.downloadBytes, 2000)

  // b learns a (push needs a to know b speaks push, which identify just taught it)
  await sb.identify.identify(b.connections[0])
  a.handle('/late/1.0.0', () => {})
  a.addrs = [multiaddr('/ip4/127.0.0.1/tcp/2001')]
  sa.identify.localChanged()
  await new Promise(resolve => setTimeout(resolve, 80))
  const seen = await sb.peerStore.get(a.peerId)
  assert.ok(seen.protocols.includes('/late/1.0.0'))
  assert.ok(seen.addresses.some(x => x.certified && x.multiaddr.toString() === '/ip4/127.0.0.1/tcp/2001'), 'a re-sealed its record for the new address')

  await sa.stop()
  await sb.stop()
  assert.equal(a.getProtocols(), ['/late/1.0.0'])
  assert.equal(b.getProtocols(), [])
  assert.is(DEFAULT_AGENT_VERSION, 'wasp2p/0.1.0')
})

test.run()
