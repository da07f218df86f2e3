/** Decodes the base64 text the build embeds for each kernel. `atob` exists in Node ≥ 16 and every browser. */
export function base64ToBytes (text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
