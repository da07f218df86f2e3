// Binary multiaddrs (multiaddr spec) as they arrive in identify, peer records
// and DHT messages, through toMultiaddr (our one conversion point, over
// @multiformats/multiaddr): parse, render as text, split into components.
import { toMultiaddr, multiaddr } from '../../dist/multiaddr/index.js'
import { check, parseOrNamed } from '../named.js'

export default {
  name: 'multiaddr',
  covers: 'binary multiaddrs through toMultiaddr (parse, toString, getComponents)',
  async setup () {
    return {
      seeds: ['/ip4/127.0.0.1/tcp/4001', '/ip6/::1/udp/4001/quic-v1', '/dns4/example.com/tcp/443/wss',
        '/ip4/1.2.3.4/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA', '/ip4/10.0.0.1/tcp/1/ws/p2p-circuit', '/memory/abc',
        '/ip6/fe80::1/tcp/1/tls/sni/example.com/http', '/ip4/0.0.0.0/udp/1/webrtc-direct/certhash/uEiAkH5a4DPGKUuOBjYw0CgwjvcJCJMD2K_1aluKR_tpevQ']
        .map(a => multiaddr(a).bytes),
      ctx: {}
    }
  },
  run (input) {
    const addr = parseOrNamed(() => toMultiaddr(input), 'toMultiaddr(bytes)')
    if (addr === undefined) return
    const text = parseOrNamed(() => addr.toString(), 'multiaddr toString')
    parseOrNamed(() => addr.getComponents(), 'multiaddr getComponents')
    if (text !== undefined) check(typeof text === 'string', 'text form is a string')
  }
}
