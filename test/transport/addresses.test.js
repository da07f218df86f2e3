// Which transport takes which multiaddr, and how WebSocket addresses map to URLs.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import { webSockets, memory } from '../../dist/transport/index.js'
import { webSocketTarget } from '../../dist/transport/websockets/websockets.js'
import { tcpMultiaddr } from '../../dist/transport/tcp/_addr.js'

const url = a => webSocketTarget(multiaddr(a))?.url

test('WebSocket multiaddrs map to ws:// and wss:// URLs', () => {
  assert.is(url('/ip4/127.0.0.1/tcp/4001/ws'), 'ws://127.0.0.1:4001/')
  assert.is(url('/ip6/::1/tcp/4001/ws'), 'ws://[::1]:4001/')
  assert.is(url('/dns4/example.com/tcp/443/wss'), 'wss://example.com:443/')
  assert.is(url('/dns6/example.com/tcp/443/tls/ws'), 'wss://example.com:443/')
  assert.is(url('/ip4/127.0.0.1/tcp/4001/ws/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'), 'ws://127.0.0.1:4001/')
  assert.is(url('/ip4/127.0.0.1/tcp/4001'), undefined)
  assert.is(url('/ip4/127.0.0.1/udp/4001/quic-v1'), undefined)
  assert.is(url('/ip4/127.0.0.1/tcp/4001/ws/p2p-circuit'), undefined)
})

test('filters: WebSockets dials ws and wss but listens on plain ws only; memory takes /memory', () => {
  const ws = webSockets()
  const addrs = ['/ip4/127.0.0.1/tcp/1/ws', '/ip4/127.0.0.1/tcp/1/wss', '/ip4/127.0.0.1/tcp/1', '/memory/x'].map(a => multiaddr(a))
  assert.equal(ws.dialFilter(addrs).map(String), ['/ip4/127.0.0.1/tcp/1/ws', '/ip4/127.0.0.1/tcp/1/wss'])
  assert.equal(ws.listenFilter(addrs).map(String), ['/ip4/127.0.0.1/tcp/1/ws'])
  assert.equal(memory().dialFilter(addrs).map(String), ['/memory/x'])
})

test('socket addresses: a link-local IPv6 %zone suffix is dropped instead of throwing', () => {
  assert.is(tcpMultiaddr('fe80::1%eth0', 4001, 'IPv6').toString(), '/ip6/fe80::1/tcp/4001')
  assert.is(tcpMultiaddr('fe80::abcd%2', 9, 6).toString(), '/ip6/fe80::abcd/tcp/9')
  assert.is(tcpMultiaddr('::1', 1, 'IPv6').toString(), '/ip6/::1/tcp/1')
  assert.is(tcpMultiaddr('127.0.0.1', 2, 'IPv4').toString(), '/ip4/127.0.0.1/tcp/2')
})

test.run()
