// The HolePunch message against js-libp2p's own codec (@libp2p/dcutr's pb module).
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '../../dist/index.js'
import { encodeHolePunch, decodeHolePunch, HolePunchType } from '../../dist/dcutr/index.js'
import { equalBytes } from '../helpers/bytes.js'

const js = await import(fileURLToPath(new URL('../../node_modules/@libp2p/dcutr/dist/src/pb/message.js', import.meta.url)))
const test = suite('DCUtR HolePunch, byte-compatible with js-libp2p')

test('CONNECT and SYNC both ways', () => {
  const addrs = [multiaddr('/ip4/10.77.1.2/tcp/4001').bytes, multiaddr('/ip6/::1/tcp/1').bytes]
  const ours = encodeHolePunch({ type: HolePunchType.CONNECT, obsAddrs: addrs })
  const theirs = js.HolePunch.decode(ours)
  assert.is(theirs.type, js.HolePunch.Type.CONNECT)
  assert.is(theirs.observedAddresses.length, 2)
  assert.ok(equalBytes(js.HolePunch.encode(theirs), ours), 'js re-encodes our bytes exactly')
  const sync = js.HolePunch.encode({ type: js.HolePunch.Type.SYNC, observedAddresses: [] })
  assert.equal(decodeHolePunch(sync), { type: HolePunchType.SYNC, obsAddrs: [] })
  assert.ok(equalBytes(encodeHolePunch(decodeHolePunch(sync)), sync))
})

test.run()
