/** Browsers and other bundles: no key type beyond Ed25519 unless the program enables it (./registry.ts). */
import type { KeyTypeSupport } from './support.js'

export const DEFAULT_KEY_TYPES: readonly KeyTypeSupport[] = []
