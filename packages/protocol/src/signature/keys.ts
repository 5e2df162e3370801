/** The HMAC steps of the q-sign scheme (../shared/cos-protocol.md §2.2 steps 2, 5, 6). */
import { createHmac } from 'node:crypto';

/** `SignKey` = hex HMAC-SHA1(SecretKey, KeyTime). */
export function signKey(secretKey: string, keyTime: string): string {
  return createHmac('sha1', secretKey).update(keyTime, 'utf8').digest('hex');
}

/** `Signature` = hex HMAC-SHA1(SignKey as its 40-character hex string, StringToSign). */
export function signature(key: string, toSign: string): string {
  return createHmac('sha1', key).update(toSign, 'utf8').digest('hex');
}
