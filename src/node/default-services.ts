/**
 * The services every node runs unless told otherwise. Anything else a node can
 * run is a factory the application imports and names in `services`, so a page
 * that never names the DHT never bundles it:
 *
 * | name        | factory                  | from                    | on by default | needs     |
 * |-------------|--------------------------|-------------------------|---------------|-----------|
 * | identify    | identifyService(options) | wasp2p                  | yes           |           |
 * | ping        | pingService(options)     | wasp2p                  | yes           |           |
 * | perf        | perfService(options)     | wasp2p                  | no            |           |
 * | dht         | kadDht(options)          | wasp2p, wasp2p/dht      | no            | identify  |
 *
 * `createNode({ services: { ping: false } })` turns a default off, `services: false`
 * all of them; a user's own service is one more entry (see src/node/service.ts).
 */
import { identifyService, type IdentifyService } from '../protocols/identify/service.js'
import { pingService, type PingService } from '../protocols/ping/service.js'
import type { ServiceFactory } from './service.js'

export interface DefaultServices {
  identify: IdentifyService
  ping: PingService
}

export function defaultServices (): { [K in keyof DefaultServices]: ServiceFactory<DefaultServices[K]> } {
  return { identify: identifyService(), ping: pingService() }
}
