/**
 * Binding the DTLS certificates to the peer ids (webrtc.md FAQ "Why is there
 * no additional Noise handshake needed?"): the SDP offer and answer, which
 * carry each side's certificate fingerprint (`a=fingerprint:`, RFC 8122), go
 * over the relayed connection, which Noise authenticated as the remote peer;
 * the browser's DTLS handshake then only succeeds against a certificate with
 * that fingerprint. We check both halves ourselves: that the remote's SDP
 * has a fingerprint at all, and, where the browser shows the remote
 * certificate (`RTCDtlsTransport.getRemoteCertificates`, Chromium), that its
 * SHA-256 is the one the SDP named.
 */
import { sha256 } from '../../crypto/sha256.js'
import { FingerprintMismatchError } from './errors.js'

export interface SdpFingerprint {
  /** Lower-case hash name, e.g. 'sha-256'. */
  algorithm: string
  digest: Uint8Array
}

const FINGERPRINT_LINE = /^a=fingerprint:(\S+) ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})*)\s*$/

/** The `a=fingerprint:` attributes of an SDP. */
export function sdpFingerprints (sdp: string): SdpFingerprint[] {
  const out: SdpFingerprint[] = []
  for (const line of sdp.split(/\r?\n/)) {
    const m = FINGERPRINT_LINE.exec(line)
    if (m === null) continue
    const hex = (m[2] as string).split(':')
    out.push({ algorithm: (m[1] as string).toLowerCase(), digest: Uint8Array.from(hex, h => parseInt(h, 16)) })
  }
  return out
}

/** FingerprintMismatchError unless the remote's SDP names exactly one certificate fingerprint. */
export function requireFingerprint (sdp: string): SdpFingerprint {
  const found = sdpFingerprints(sdp)
  const distinct = new Set(found.map(f => `${f.algorithm} ${f.digest.join(',')}`))
  if (distinct.size !== 1) throw new FingerprintMismatchError(`the remote SDP names ${distinct.size} certificate fingerprints, not one`)
  return found[0] as SdpFingerprint
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

/**
 * Time to wait, after the peer connection reports `connected`, for its DTLS
 * transport to show the remote certificate (Chromium sometimes fills it in a
 * moment later). Default 2 s.
 */
export const REMOTE_CERTIFICATE_WAIT_MS = 2000

/**
 * After the connection is up: FingerprintMismatchError if the certificate the
 * remote used in DTLS does not hash to `expected`. Resolves false when the
 * browser does not show the certificate (no `getRemoteCertificates`, or an
 * empty list after REMOTE_CERTIFICATE_WAIT_MS): its own DTLS check against
 * the same SDP fingerprint is then all there is.
 */
export async function verifyRemoteCertificate (pc: RTCPeerConnection, expected: SdpFingerprint): Promise<boolean> {
  const transport = pc.sctp?.transport as (RTCDtlsTransport & { getRemoteCertificates?: () => ArrayBuffer[] }) | undefined
  if (transport?.getRemoteCertificates === undefined || expected.algorithm !== 'sha-256') return false
  const deadline = Date.now() + REMOTE_CERTIFICATE_WAIT_MS
  let certificates = transport.getRemoteCertificates()
  while (certificates.length === 0 && Date.now() < deadline && pc.connectionState === 'connected') {
    await new Promise(resolve => setTimeout(resolve, 20))
    certificates = transport.getRemoteCertificates()
  }
  const first = certificates[0]
  if (first === undefined) return false
  if (!equal(sha256(new Uint8Array(first)), expected.digest)) {
    throw new FingerprintMismatchError('the remote DTLS certificate does not match the fingerprint its peer sent over the relayed connection')
  }
  return true
}
