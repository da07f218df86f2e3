// Signed envelopes and the peer records inside them (RFC 0002 signed
// envelopes, RFC 0003 routing records), as received in identify and the DHT:
// the envelope protobuf with its public key, then the record protobuf with
// its peer id and multiaddrs. (Signature checks are not the parser; the
// decoders run on every input, verification only matters for what parses.)
import { RecordEnvelope, PeerRecord, MAX_PEER_RECORD_ADDRESSES } from '../../dist/record/index.js'
import { generateKeyPair } from '../../dist/keys/index.js'
import { peerIdFromPrivateKey } from '../../dist/peer-id/index.js'
import { check, parseOrNamed } from '../named.js'

export default {
  name: 'peer-record',
  covers: 'signed envelope and peer record protobufs (RecordEnvelope.createFromProtobuf, PeerRecord.createFromProtobuf)',
  async setup () {
    const seeds = []
    for (const type of ['Ed25519', 'secp256k1']) {
      const key = await generateKeyPair(type)
      const record = new PeerRecord({ peerId: peerIdFromPrivateKey(key), multiaddrs: ['/ip4/10.0.0.1/tcp/4001', '/ip6/::1/udp/1/quic-v1'], seqNumber: 7n })
      const envelope = await RecordEnvelope.seal(record, key)
      seeds.push(envelope.marshal(), record.marshal())
    }
    return { seeds, ctx: {} }
  },
  run (input) {
    const envelope = parseOrNamed(() => RecordEnvelope.createFromProtobuf(input), 'RecordEnvelope.createFromProtobuf')
    if (envelope !== undefined) parseOrNamed(() => PeerRecord.createFromProtobuf(envelope.payload), 'PeerRecord.createFromProtobuf (envelope payload)')
    const record = parseOrNamed(() => PeerRecord.createFromProtobuf(input), 'PeerRecord.createFromProtobuf')
    if (record !== undefined) {
      check(record.multiaddrs.length <= MAX_PEER_RECORD_ADDRESSES, 'addresses within the limit')
      parseOrNamed(() => record.multiaddrs.map(a => a.toString()), 'record multiaddr toString')
    }
  }
}
