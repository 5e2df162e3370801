/**
 * The HMAC steps of the q-sign scheme (../shared/cos-protocol.md §2.2 steps 2, 5, 6).
 *
 * `#sha1` is Node's native crypto under Node and `@noble/hashes` elsewhere (package.json `imports`),
 * so the same signer runs in a browser.
 */
import { hmacSha1Hex, sha1Hex } from '#sha1';

export { sha1Hex };

/**
 * Derived keys kept by {@link signKey}: a client signs every request of a key-time window with the
 * same key, and a server sees the same (SecretKey, KeyTime) from every request of that window (and
 * tries one per signed path form), so most calls skip an HMAC. Bounded: when full it is emptied,
 * and only KeyTimes of real length are kept (memory ≤ 256 × ~200 bytes ≈ 50 KiB, whatever a
 * request sends).
 */
const SIGN_KEY_CACHE_ENTRIES = 256;
/** Longest KeyTime kept: `<10 digits>;<10 digits>` is 21 characters. */
const CACHED_KEY_TIME_MAX_CHARS = 32;
/** SecretKey → KeyTime → SignKey (nested, so no pair of strings can alias another). */
const signKeys = new Map<string, Map<string, string>>();
let cachedSignKeys = 0;

/** `SignKey` = hex HMAC-SHA1(SecretKey, KeyTime), memoised (see {@link SIGN_KEY_CACHE_ENTRIES}). */
export function signKey(secretKey: string, keyTime: string): string {
  const cached = signKeys.get(secretKey)?.get(keyTime);
  if (cached !== undefined) return cached;
  const key = hmacSha1Hex(secretKey, keyTime);
  if (keyTime.length > CACHED_KEY_TIME_MAX_CHARS) return key;
  if (cachedSignKeys >= SIGN_KEY_CACHE_ENTRIES) {
    signKeys.clear();
    cachedSignKeys = 0;
  }
  let forSecret = signKeys.get(secretKey);
  if (!forSecret) {
    forSecret = new Map();
    signKeys.set(secretKey, forSecret);
  }
  forSecret.set(keyTime, key);
  cachedSignKeys++;
  return key;
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
