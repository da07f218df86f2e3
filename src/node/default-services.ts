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
 * | metrics     | metrics(options)         | wasp2p                  | no            |           |
 * | pubsub      | gossipsub(options)       | wasp2p, wasp2p/pubsub   | no            |           |
 * | relay       | circuitRelayServer(opts) | wasp2p, wasp2p/relay    | no            |           |
 * | circuit     | circuitRelayTransport()  | wasp2p, wasp2p/relay    | no            |           |
 * | dcutr       | dcutr(options)           | wasp2p, wasp2p/dcutr    | no            | identify  |
 * | autonat     | autonatV2(options)       | wasp2p                  | no            | identify  |
 * | mdns        | mdns(options)            | wasp2p                  | no            |           |
 * | knownPeers  | knownPeers(options)      | wasp2p                  | no            |           |
 * | webrtc      | webRTC(options)          | wasp2p (browsers)       | no            |           |
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
