/**
 * The PublicKey and PrivateKey protobufs (peer-ids spec, "Keys"):
 *
 *   message PublicKey  { required KeyType Type = 1; required bytes Data = 2; }
 *   message PrivateKey { required KeyType Type = 1; required bytes Data = 2; }
 *
 * Encoding is deterministic (both fields, in tag order, minimal varints): the
 * PeerId is derived from these exact bytes.
 */
import { ProtoReader, ProtoWriter, ProtobufError } from '../protobuf/index.js'
import type { KeyType, PrivateKey, PublicKey } from './types.js'
import { InvalidPrivateKeyError, InvalidPublicKeyError } from './errors.js'
import { keyTypeCode, keyTypeFromCode } from './key-type.js'
import { keyTypeSupport } from './registry.js'

/**
 * Largest key protobuf accepted: 8 KiB. An 8192-bit RSA private key (the
 * largest key type and size accepted) encodes to about 4.7 KiB.
 */
export const MAX_KEY_PROTOBUF_SIZE = 8192

const FIELD_TYPE = 1
const FIELD_DATA = 2

/**
 * The key with the Data bytes of `type`; throws InvalidPublicKeyError, or
 * UnsupportedKeyTypeError for a type unknown or not enabled (./registry.ts).
 */
export function publicKeyFromData (type: KeyType, data: Uint8Array): PublicKey {
  return keyTypeSupport(type).publicKeyFromData(data)
}

/** The key with the Data bytes of `type`; throws InvalidPrivateKeyError / UnsupportedKeyTypeError. */
export function privateKeyFromData (type: KeyType, data: Uint8Array): PrivateKey {
  return keyTypeSupport(type).privateKeyFromData(data)
}

function encode (type: KeyType, data: Uint8Array): Uint8Array {
  return new ProtoWriter().uint32(FIELD_TYPE, keyTypeCode(type)).bytes(FIELD_DATA, data).finish()
}

function decode (bytes: Uint8Array, InvalidError: typeof InvalidPublicKeyError): { type: KeyType, data: Uint8Array } {
  let code: number | undefined
  let data: Uint8Array | undefined
  try {
    const r = new ProtoReader(bytes, { maxSize: MAX_KEY_PROTOBUF_SIZE })
    while (r.next()) {
      if (r.field === FIELD_TYPE) code = r.uint32()
      else if (r.field === FIELD_DATA) data = r.bytes()
      else r.skipField()
    }
  } catch (err) {
    if (err instanceof ProtobufError) throw new InvalidError(`malformed key protobuf: ${err.message}`)
    throw err
  }
  if (code === undefined || data === undefined) throw new InvalidError('key protobuf lacks its Type or Data field')
  return { type: keyTypeFromCode(code), data }
}

export function publicKeyToProtobuf (key: PublicKey): Uint8Array {
  return encode(key.type, key.raw)
}

export function privateKeyToProtobuf (key: PrivateKey): Uint8Array {
  return encode(key.type, key.raw)
}

export function publicKeyFromProtobuf (bytes: Uint8Array): PublicKey {
  const { type, data } = decode(bytes, InvalidPublicKeyError)
  return publicKeyFromData(type, data)
}

export function privateKeyFromProtobuf (bytes: Uint8Array): PrivateKey {
  const { type, data } = decode(bytes, InvalidPrivateKeyError)
  return privateKeyFromData(type, data)
}
