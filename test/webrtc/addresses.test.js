// WebRTC addresses (webrtc.md step 1) and SDP fingerprints (RFC 8122).
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr, webrtc } from '../../dist/index.js'

const test = suite('webrtc addresses and fingerprints')
const R = '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'
const B = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'
const relay = `/ip4/127.0.0.1/tcp/4001/ws/p2p/${R}`

test('a dial address splits into the relayed address and the target', () => {
  const parts = webrtc.parseWebRTCAddr(multiaddr(`${relay}/p2p-circuit/webrtc/p2p/${B}`))
  assert.is(parts.circuitAddr.toString(), `${relay}/p2p-circuit/p2p/${B}`)
  assert.is(parts.relay.toString(), R)
  assert.is(parts.target.toString(), B)
})

test('a listen address has no target', () => {
  const parts = webrtc.parseWebRTCAddr(multiaddr(`${relay}/p2p-circuit/webrtc`))
  assert.is(parts.circuitAddr.toString(), `${relay}/p2p-circuit`)
  assert.is(parts.target, undefined)
})

test('other addresses are refused with InvalidCircuitAddressError', () => {
  for (const a of [`${relay}/p2p-circuit/p2p/${B}`, `/ip4/1.2.3.4/udp/1/webrtc-direct`, `${relay}/webrtc/p2p/${B}`, `/p2p-circuit/webrtc/p2p/${B}`, `${relay}/p2p-circuit/webrtc/webrtc`]) {
    try {
      webrtc.parseWebRTCAddr(multiaddr(a))
      assert.unreachable(a)
    } catch (err) {
      assert.is(err.name, 'InvalidCircuitAddressError', a)
    }
  }
})

const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=fingerprint:sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n'

test('the fingerprint of an SDP, also when repeated at session and media level', () => {
  const fp = webrtc.requireFingerprint(SDP + SDP.split('\r\n')[2] + '\r\n')
  assert.is(fp.algorithm, 'sha-256')
  assert.is(fp.digest.length, 32)
  assert.is(fp.digest[0], 0x0a)
  assert.is(fp.digest[31], 0xf9)
})

test('an SDP without a fingerprint, or with two different ones, is refused (FingerprintMismatchError)', () => {
  for (const sdp of ['v=0\r\n', SDP + 'a=fingerprint:sha-256 00:11\r\n']) {
    try {
      webrtc.requireFingerprint(sdp)
      assert.unreachable()
    } catch (err) {
      assert.is(err.name, 'FingerprintMismatchError')
    }
  }
})

test.run()
