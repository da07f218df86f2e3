import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import { tcp } from '../../dist/transport/index.js'
import { transportCompliance } from './compliance.js'

transportCompliance('tcp ip4', { transport: tcp, listenAddr: '/ip4/127.0.0.1/tcp/0', halfClose: true }).run()
transportCompliance('tcp ip6', { transport: tcp, listenAddr: '/ip6/::1/tcp/0', halfClose: true }).run()

test('tcp takes plain /tcp addresses (with an optional /p2p) and nothing above them', () => {
  const addrs = ['/ip4/127.0.0.1/tcp/1', '/ip6/::1/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA', '/dns4/localhost/tcp/1', '/ip4/127.0.0.1/tcp/1/ws', '/memory/x'].map(a => multiaddr(a))
  assert.equal(tcp().dialFilter(addrs).map(String), addrs.slice(0, 3).map(String))
})
test.run()
