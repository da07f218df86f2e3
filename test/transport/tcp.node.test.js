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
test('dns4 resolves to an IPv4 address', async () => {
  const transport = tcp()
  let accepted
  const listener = transport.createListener({ onConnection: c => { accepted = c } })
  await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0'))
  const port = listener.getAddrs()[0].getComponents()[1].value
  const conn = await transport.dial(multiaddr(`/dns4/localhost/tcp/${port}`))
  assert.match(conn.remoteAddr.toString(), /^\/ip4\/127\.0\.0\.1\/tcp\//)
  conn.abort(new Error('done'))
  accepted?.abort(new Error('done'))
  await listener.close()
})

test.run()
