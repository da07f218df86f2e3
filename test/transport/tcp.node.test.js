import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import { networkInterfaces } from 'node:os'
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

test('a wildcard listener reports each interface address, every one of them dialable', async () => {
  const transport = tcp()
  const accepted = []
  const listener = transport.createListener({ onConnection: c => { accepted.push(c) } })
  await listener.listen(multiaddr('/ip4/0.0.0.0/tcp/0'))
  try {
    const addrs = listener.getAddrs().map(String)
    const port = listener.getAddrs()[0].getComponents()[1].value
    const ip4 = Object.values(networkInterfaces()).flat().filter(i => i.family === 'IPv4').map(i => i.address)
    assert.ok(!addrs.some(a => a.startsWith('/ip4/0.0.0.0/')), `no wildcard listed: ${addrs}`)
    assert.equal(addrs.sort(), [...new Set(ip4)].map(ip => `/ip4/${ip}/tcp/${port}`).sort())
    assert.ok(addrs.includes(`/ip4/127.0.0.1/tcp/${port}`), 'loopback is one of them')
    for (const addr of addrs) {
      const conn = await transport.dial(multiaddr(addr))
      conn.abort(new Error('done'))
    }
  } finally {
    for (const c of accepted) c.abort(new Error('done'))
    await listener.close()
  }
})

test.run()
