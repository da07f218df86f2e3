// A Noise_XX_25519_ChaChaPoly_SHA256 transcript with fixed keys and an empty
// prologue, produced by @chainsafe/libp2p-noise 17.0.0's XXHandshakeState
// (noise-differential.node.test.js re-derives it from that package on every
// run, so this copy cannot drift). Private keys are X25519 scalars; each
// message is the raw Noise message (no length prefix).
export const XX_VECTOR = {
  keys: {
    initiatorStatic: '01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3da',
    initiatorEphemeral: '020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4db',
    responderStatic: '030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dc',
    responderEphemeral: '040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dd'
  },
  payloads: ['', 'responder payload', 'initiator payload'],
  messages: [
    '73e79971c9110029723632a80b707bf4f62c125763346e1e8718d6c0dcc3aa3a',
    'f74e5bb7515d565274967af75d88497dc6fc7fcd607da9dd91a617db86ad0110859df445560e76daafba5eed849416bf9139659e4c825dde549c10d13996ec43ad87c969661c7ffbee877573b670f080fbfe298ae7d373f6f94b7db6745928ed9c2151204a147dfc81fd2854fbc792488f',
    '0505199194f00dccc862bf2a531dfe120cbc4bc8fbe8193816c8a762602f4ca27bec099a1b27df98da69a005e8c6b8f9a3f0a297af031e93c87f6d65303aeb239f35c2d2c92bf2e2cbc6ffd4d6995de3d7'
  ],
  handshakeHash: '92ea2301f91ba39b541285bc71be718bae7e25e251a39f22f732318e7cacdd98',
  transport: ['hello', 'second message'],
  toResponder: [
    'c666168e58d8cc875057e10b0abb5b847ede455853',
    'e867e194c2736f47022e1dbcf96b1262d4a00322d7adf245df7fac055108'
  ],
  toInitiator: [
    'c1389c69b076ae06d7d407594969f99c635f596f52',
    'f6089e7d0f809f3ec157855a51203e92be0699d116c1f0b40424f6c6e42e'
  ]
}

export const hexToBytes = hex => Uint8Array.from(hex.match(/../g) ?? [], b => parseInt(b, 16))
export const bytesToHex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
