// The address manager's rules (src/addresses/address-manager.ts), on a fake
// listener list: what is announced from listen, announce, noAnnounce, observed
// (confirmations, translation to the listen port, the candidate bound) and relay
// addresses, how AutoNAT's verdicts change it, and when onChange fires.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import {
  AddressManager, ObservedAddresses, OBSERVED_ADDR_CONFIRMATIONS, MAX_OBSERVED_CANDIDATES, MAX_REACHABILITY_VERDICTS, isPublicAddress
} from '../../dist/addresses/index.js'
import { generateKeyPair } from '../../dist/keys/index.js'
import { peerIdFromPrivateKey } from '../../dist/peer-id/index.js'

const peers = await Promise.all(Array.from({ length: 8 }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
const RELAY = `/ip6/3fff::1/tcp/4001/p2p/${peers[7].toString()}/p2p-circuit`

function manager (listen, options = {}) {
  const state = { listen: listen.map(a => multiaddr(a)), changes: 0 }
  const am = new AddressManager(options, { listenAddrs: () => state.listen, onChange: () => { state.changes++ } })
  am.refresh()
  return { am, state, announced: () => am.announced().map(String) }
}

test('isPublicAddress: loopback, private, CGNAT, link-local, ULA, documentation are not; 3fff::/20 and a real-looking IP are', () => {
  for (const a of ['/ip4/127.0.0.1/tcp/1', '/ip4/10.1.2.3/tcp/1', '/ip4/192.168.0.9/tcp/1', '/ip4/172.20.0.1/tcp/1', '/ip4/100.64.1.1/tcp/1',
    '/ip4/169.254.1.1/tcp/1', '/ip4/198.51.100.7/tcp/1', '/ip6/::1/tcp/1', '/ip6/fd00::1/tcp/1', '/ip6/fe80::1/tcp/1', '/ip6/2001:db8::1/tcp/1',
    '/dns4/example.com/tcp/1', '/memory/x']) assert.not.ok(isPublicAddress(multiaddr(a)), a)
  for (const a of ['/ip4/8.8.8.8/tcp/1', '/ip6/3fff::10/tcp/1', '/ip6/2a00:1450::1/tcp/1']) assert.ok(isPublicAddress(multiaddr(a)), a)
})

test('loopback and private listen addresses are announced as before; no candidates for AutoNAT', () => {
  const { am, announced } = manager(['/ip4/127.0.0.1/tcp/1000', '/ip4/10.0.0.2/tcp/1001'])
  assert.equal(announced(), ['/ip4/127.0.0.1/tcp/1000', '/ip4/10.0.0.2/tcp/1001'])
  assert.equal(am.candidates(), [])
})

test('announce replaces the direct listen addresses; noAnnounce removes any', () => {
  const { announced } = manager(['/ip4/10.0.0.2/tcp/1001', '/ip4/127.0.0.1/tcp/1000'], {
    announce: ['/dns4/example.com/tcp/443/wss', '/ip6/3fff::5/tcp/4001'], noAnnounce: ['/ip6/3fff::5/tcp/4001']
  })
  assert.equal(announced(), ['/dns4/example.com/tcp/443/wss'])
})

test('an observed address is translated to the listen port and announced only after OBSERVED_ADDR_CONFIRMATIONS distinct peers', () => {
  const { am, state, announced } = manager(['/ip4/10.0.0.2/tcp/4001', '/ip4/127.0.0.1/tcp/4002'])
  const before = state.changes
  // Each peer sees a different ephemeral port; all mean the same public IP.
  for (let i = 0; i < OBSERVED_ADDR_CONFIRMATIONS - 1; i++) {
    am.addObserved(multiaddr(`/ip4/8.8.4.4/tcp/${50000 + i}`), peers[i])
    am.addObserved(multiaddr(`/ip4/8.8.4.4/tcp/${50000 + i}`), peers[i]) // the same peer twice counts once
  }
  assert.not.ok(announced().includes('/ip4/8.8.4.4/tcp/4001'), 'not yet confirmed')
  assert.equal(am.candidates().map(String), ['/ip4/8.8.4.4/tcp/4001'], 'translated to the 10.0.0.2 listener port; the loopback listener adds none')
  assert.is(state.changes, before, 'nothing announced changed yet')
  am.addObserved(multiaddr('/ip4/8.8.4.4/tcp/60000'), peers[OBSERVED_ADDR_CONFIRMATIONS - 1])
  assert.ok(announced().includes('/ip4/8.8.4.4/tcp/4001'))
  assert.is(state.changes, before + 1, 'onChange once')
})

test('private or loopback observed addresses are ignored', () => {
  const { am } = manager(['/ip4/10.0.0.2/tcp/4001'])
  am.addObserved(multiaddr('/ip4/192.168.1.1/tcp/5555'), peers[0])
  am.addObserved(multiaddr('/ip4/127.0.0.1/tcp/5555'), peers[1])
  assert.equal(am.candidates(), [])
})

test('AutoNAT: public confirms an observed address at once; private withdraws it and a public listen address', () => {
  const { am, announced } = manager(['/ip4/10.0.0.2/tcp/4001', '/ip6/3fff::9/tcp/4003'])
  am.addObserved(multiaddr('/ip4/8.8.4.4/tcp/50000'), peers[0])
  const observed = multiaddr('/ip4/8.8.4.4/tcp/4001')
  assert.equal(am.candidates().map(String), ['/ip6/3fff::9/tcp/4003', '/ip4/8.8.4.4/tcp/4001'])
  am.setReachability(observed, 'public')
  assert.ok(announced().includes(observed.toString()))
  am.setReachability(observed, 'private')
  assert.not.ok(announced().includes(observed.toString()))
  assert.ok(announced().includes('/ip6/3fff::9/tcp/4003'), 'a public listen address is announced while untested')
  am.setReachability(multiaddr('/ip6/3fff::9/tcp/4003'), 'private')
  assert.equal(announced(), ['/ip4/10.0.0.2/tcp/4001'])
  assert.is(am.reachabilityOf(observed), 'private')
})

test('relay addresses are announced until a direct address is confirmed public', () => {
  const { am, state, announced } = manager(['/ip6/3fff::9/tcp/4003'])
  state.listen.push(multiaddr(RELAY))
  am.refresh()
  assert.ok(announced().includes(RELAY))
  const relay = am.getAddresses().find(a => a.source === 'relay')
  assert.is(relay?.multiaddr.toString(), RELAY)
  assert.not.ok(am.candidates().map(String).includes(RELAY), 'relay addresses are not AutoNAT candidates')
  am.setReachability(multiaddr('/ip6/3fff::9/tcp/4003'), 'private')
  assert.ok(announced().includes(RELAY), 'still unreachable: keep the relay')
  am.setReachability(multiaddr('/ip6/3fff::9/tcp/4003'), 'public')
  assert.equal(announced(), ['/ip6/3fff::9/tcp/4003'], 'direct and confirmed: the relay address is withdrawn')
})

test('observed candidates are bounded; a peer votes for one candidate at a time', () => {
  const observed = new ObservedAddresses()
  for (let i = 0; i < MAX_OBSERVED_CANDIDATES * 4; i++) observed.add(multiaddr(`/ip4/8.8.8.${i % 250}/tcp/${1000 + i}`), peers[i % 3].toString())
  assert.ok(observed.size <= MAX_OBSERVED_CANDIDATES, `${observed.size} candidates`)
  // Each of the 3 peers holds at most one vote.
  const votes = observed.candidates().reduce((n, c) => n + c.reporters, 0)
  assert.ok(votes <= 3, `${votes} votes`)
  // A well-supported candidate survives churn by a single inventive peer.
  const strong = multiaddr('/ip4/9.9.9.9/tcp/4001')
  for (let i = 0; i < 4; i++) observed.add(strong, peers[3 + i].toString())
  for (let i = 0; i < 500; i++) observed.add(multiaddr(`/ip4/1.1.${i % 250}.1/tcp/${i + 1}`), peers[0].toString())
  assert.ok(observed.isConfirmed(strong))
  assert.ok(observed.size <= MAX_OBSERVED_CANDIDATES)
})

test('AutoNAT verdicts are bounded: the oldest are forgotten', () => {
  const { am } = manager(['/ip4/10.0.0.2/tcp/4001'])
  const addr = i => multiaddr(`/ip4/8.8.${i >> 8}.${i & 255}/tcp/1`)
  for (let i = 0; i < MAX_REACHABILITY_VERDICTS * 3; i++) am.setReachability(addr(i), 'private')
  assert.is(am.reachabilityOf(addr(0)), 'unknown')
  assert.is(am.reachabilityOf(addr(MAX_REACHABILITY_VERDICTS * 3 - 1)), 'private')
  let kept = 0
  for (let i = 0; i < MAX_REACHABILITY_VERDICTS * 3; i++) if (am.reachabilityOf(addr(i)) !== 'unknown') kept++
  assert.is(kept, MAX_REACHABILITY_VERDICTS)
})

test.run()
