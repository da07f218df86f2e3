/**
 * Limits of the address manager. An observed address is what a remote peer
 * says it saw as our address (identify spec, `observedAddr`); one peer alone
 * may lie or sit behind its own NAT, so several must agree before we announce it.
 */

/**
 * Distinct peers that must report the same observed address before we
 * announce it without an AutoNAT verdict: 4, the figure the autonat v2 spec
 * suggests for servers ("more than 3", Implementation Suggestions), since a
 * report costs a peer as little as a dial.
 */
export const OBSERVED_ADDR_CONFIRMATIONS = 4

/**
 * Observed addresses tracked at once: 16. Each peer votes for one address at a
 * time (a new report moves its vote), so a peer that invents addresses churns
 * only the weakest candidates, and memory stays fixed however many peers report.
 */
export const MAX_OBSERVED_CANDIDATES = 16

/**
 * AutoNAT verdicts kept: 64, the oldest forgotten first. Candidates come and go
 * (observed addresses change with the network); a forgotten one is just untested.
 */
export const MAX_REACHABILITY_VERDICTS = 64
