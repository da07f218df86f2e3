/**
 * Decodes the base64 text the build embeds for each kernel: natively where
 * `Uint8Array.fromBase64` exists (Chromium 140, Firefox 133, Safari 18.2,
 * Node 25), else `atob` (Node ≥ 16, every browser) and a copy loop. The loop
 * runs cold, in the interpreter, on the first call's path: on a fresh
 * Chromium page it took 1.8 ms of the basic node's kernels, the native
 * decoder a small fraction of that (bench/first-call.js).
 */
const fromBase64 = (Uint8Array as { fromBase64?: (text: string) => Uint8Array }).fromBase64

export function base64ToBytes (text: string): Uint8Array {
  if (fromBase64 !== undefined) return fromBase64(text)
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
