/** The named failure of the resource manager. */

/** Where a limit applies: the whole node, one peer, one protocol, one connection. */
export type ResourceScopeName = 'node' | 'peer' | 'protocol' | 'connection'

/** Which limit of that scope refused. */
export type ResourceLimitName = 'connections' | 'streams' | 'memory'

/**
 * One more connection, stream or buffered byte would pass a limit: the
 * connection is refused (the upgrade fails), the stream is reset, the data
 * is dropped with its stream. `scope` and `limit` say which limit, `value`
 * its current setting.
 */
export class ResourceLimitError extends Error {
  override name = 'ResourceLimitError'
  constructor (readonly scope: ResourceScopeName, readonly limit: ResourceLimitName, readonly value: number, message: string) {
    super(message)
  }
}
