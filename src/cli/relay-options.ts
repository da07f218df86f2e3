/**
 * `wasp2p start --relay-server` and `--relay <multiaddr>`: the circuit relay
 * v2 services the start command adds (src/relay). `--relay-server` runs a
 * relay with the default limits; each `--relay` listens through that relay
 * (reserves on it, announces `<relay>/p2p-circuit/p2p/<us>`).
 */
import type { ServiceFactory } from '../node/service.js'
import { circuitRelayServer } from '../relay/server/service.js'
import { circuitRelayTransport } from '../relay/client/service.js'
import type { OptionSpecs } from './args.js'

export const RELAY_OPTION_SPECS: OptionSpecs = {
  'relay-server': { type: 'boolean' },
  relay: { type: 'strings' }
}

export const RELAY_OPTIONS_HELP = `  --relay-server      act as a circuit relay v2 (hop) for peers behind NAT (default limits: 2 min, 128 KiB)
  --relay MULTIADDR   listen through this relay (repeatable): reserve on it and announce <relay>/p2p-circuit`

/** The relay services the options ask for. */
export function relayServices (options: Record<string, unknown>): Record<string, ServiceFactory> {
  const services: Record<string, ServiceFactory> = {}
  if (options['relay-server'] === true) services.relay = circuitRelayServer()
  if (relayAddrs(options).length > 0) services.circuit = circuitRelayTransport()
  return services
}

/** The `/p2p-circuit` listen address of each `--relay` (given with or without the suffix). */
export function relayListenAddrs (options: Record<string, unknown>): string[] {
  return relayAddrs(options).map(a => a.replace(/\/+$/, '')).map(a => a.endsWith('/p2p-circuit') ? a : `${a}/p2p-circuit`)
}

function relayAddrs (options: Record<string, unknown>): string[] {
  return (options.relay as string[] | undefined) ?? []
}
