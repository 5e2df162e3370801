/**
 * SHA-1 and HMAC-SHA1 on Node's native crypto: what `#sha1` resolves to under Node (package.json
 * `imports`). Same contract as sha1-web.ts; a test checks the two agree.
 */
import { createHash, createHmac } from 'node:crypto';

/** Lower-case hex SHA-1 of the UTF-8 encoding of `text`. */
export function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/** Lower-case hex HMAC-SHA1 of UTF-8 `message` under UTF-8 `key`. */
export function hmacSha1Hex(key: string, message: string): string {
  return createHmac('sha1', key).update(message, 'utf8').digest('hex');
}
