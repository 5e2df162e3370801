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
