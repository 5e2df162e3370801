/** Base64 of bytes without Node's `Buffer`, so the protocol runs in browsers too. */

/** Standard base64 (with `=` padding) of `bytes`. */
export function bytesToBase64(bytes: Uint8Array): string {
  // btoa takes a "binary string" (one char per byte); built in 32 KiB chunks to bound the arguments.
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * The bytes of standard base64 `text` (with `=` padding), or undefined if `text` is not exactly
 * that (any other character, wrong padding, or a form that does not encode back the same).
 */
export function base64ToBytes(text: string): Uint8Array | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytesToBase64(bytes) === text ? bytes : undefined;
}
