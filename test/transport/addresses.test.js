// Which transport takes which multiaddr, and how WebSocket addresses map to URLs.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import { webSockets, memory } from '../../dist/transport/index.js'
import { webSocketTarget } from '../../dist/transport/websockets/websockets.js'

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

test.run()
