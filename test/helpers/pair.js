// A connected pair of raw byte streams over the in-memory transport (browser-safe).
import { multiaddr } from '@multiformats/multiaddr'
import { memory } from '../../dist/transport/index.js'

/** Returns [dialerSide, listenerSide]; `written` records every chunk the dialer side wrote. */
export async function rawPair () {
  const transport = memory()
  let accepted
  const listener = transport.createListener({ onConnection: c => { accepted = c } })
  await listener.listen(multiaddr('/memory/0'))
  const dialed = await transport.dial(listener.getAddrs()[0])
  await listener.close()
  const written = []
  const write = dialed.write.bind(dialed)
  dialed.write = async chunk => { written.push(chunk.slice()); await write(chunk) }
  return { dialer: dialed, listener: accepted, written }
}
