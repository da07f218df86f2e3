/**
 * Early stream-muxer negotiation inside the Noise handshake
 * (../shared/specs/libp2p/connections/inlined-muxer-negotiation.md,
 * "Multiplexer Negotiation over Noise"): the responder lists its muxers in
 * message 2, the initiator in message 3, and the muxer is "the first item
 * from the initiator's list that both parties support". Both sides apply the
 * same rule to the same two lists, so they agree without another message.
 *
 * A side that sends no list is not doing early negotiation: the connection
 * falls back to multistream-select (`undefined`). Two non-empty lists with
 * nothing in common fail the handshake, as the spec requires.
 *
 * The initiator, which decides first, announces only its choice (the spec's
 * "MAY choose a single multiplexer from the responder's list and only send
 * that value"), or nothing when there is no early negotiation. Any responder
 * then lands on the same muxer whatever rule it applies: js-libp2p's picks
 * from the *remote's* list on both sides, which with a full list could
 * disagree with the spec's rule when the two sides order muxers differently.
 */
import { NoCommonMuxerError } from './errors.js'

export function selectStreamMuxer (initiatorMuxers: readonly string[], responderMuxers: readonly string[]): string | undefined {
  if (initiatorMuxers.length === 0 || responderMuxers.length === 0) return undefined
  const chosen = initiatorMuxers.find(muxer => responderMuxers.includes(muxer))
  if (chosen === undefined) {
    throw new NoCommonMuxerError(`no common stream muxer: initiator offers [${initiatorMuxers.join(', ')}], responder [${responderMuxers.join(', ')}]`)
  }
  return chosen
}

/** What the initiator puts in message 3 once it has chosen. */
export function initiatorAnnouncement (chosen: string | undefined): string[] {
  return chosen === undefined ? [] : [chosen]
}
