/**
 * `/echo/1.0.0`: writes back every byte it reads, then closes its side when
 * the remote closes its own. A test and interop aid (js-libp2p ships the same
 * protocol as @libp2p/echo).
 */
import type { StreamHandler } from '../connection/connection.js'

export const ECHO_PROTOCOL = '/echo/1.0.0'

export const echoHandler: StreamHandler = async stream => {
  for await (const chunk of stream) await stream.write(chunk)
  await stream.closeWrite()
}
