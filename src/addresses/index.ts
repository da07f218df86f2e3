/** The node's addresses: listen, announce, observed and relay, and which of them it announces. */
export { AddressManager, type AddressInfo, type AddressSource, type AddressesOptions, type AddressManagerInit, type Reachability } from './address-manager.js'
export { ObservedAddresses, type ObservedCandidate } from './observed.js'
export { OBSERVED_ADDR_CONFIRMATIONS, MAX_OBSERVED_CANDIDATES, MAX_REACHABILITY_VERDICTS } from './constants.js'
export { isPublicAddress, isRelayAddress, ipOf } from './ip-scope.js'
