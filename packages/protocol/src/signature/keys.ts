/**
 * The HMAC steps of the q-sign scheme (../shared/cos-protocol.md §2.2 steps 2, 5, 6).
 *
 * `#sha1` is Node's native crypto under Node and `@noble/hashes` elsewhere (package.json `imports`),
 * so the same signer runs in a browser.
 */
import { hmacSha1Hex, sha1Hex } from '#sha1';

export { sha1Hex };

/** `SignKey` = hex HMAC-SHA1(SecretKey, KeyTime). */
export function signKey(secretKey: string, keyTime: string): string {
  return hmacSha1Hex(secretKey, keyTime);
}

/** `Signature` = hex HMAC-SHA1(SignKey as its 40-character hex string, StringToSign). */
export function signature(key: string, toSign: string): string {
  return hmacSha1Hex(key, toSign);
}

/**
 * Compares two strings in time that depends only on their length (signatures are fixed-length hex, so
 * the length leaks nothing), so a verifier does not reveal how many leading characters matched.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
