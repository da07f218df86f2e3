// Stand-in peers for protocol tests that need only the PeerId contract's bytes: an
// Ed25519-shaped public key in the libp2p PublicKey protobuf, and the identity multihash
// over it, which is how a real Ed25519 peer id is built (peer-ids spec). Browser-safe.

const hex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')

/** { publicKey: marshalled key bytes, peerId: PeerId-shaped object }. */
export function testPeer () {
  const raw = crypto.getRandomValues(new Uint8Array(32))
  const publicKey = Uint8Array.of(0x08, 0x01, 0x12, 0x20, ...raw)
  const multihash = Uint8Array.of(0x00, publicKey.length, ...publicKey)
  const text = 'test-' + hex(multihash)
  const peerId = {
    type: 'Ed25519',
    multihash,
    publicKey: undefined,
    toString: () => text,
    equals: other => other != null && other.toString() === text
  }
  return { publicKey, peerId }
}

/** A real Ed25519 identity: { privateKey, peerId, publicKey: marshalled key bytes }. */
export async function realPeer () {
  const { generateKeyPair, publicKeyToProtobuf } = await import('../../dist/keys/index.js')
  const { peerIdFromPrivateKey } = await import('../../dist/peer-id/index.js')
  const privateKey = await generateKeyPair('Ed25519')
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey), publicKey: publicKeyToProtobuf(privateKey.publicKey) }
}
