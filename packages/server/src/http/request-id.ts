/** Request ids in COS's shape: base64 of `<hex time>_<hex random>` (opaque to clients). */
import { randomBytes } from 'node:crypto';

export function newRequestId(): string {
  const text = `${Math.floor(Date.now() / 1000).toString(16)}_${randomBytes(9).toString('hex')}`;
  return Buffer.from(text).toString('base64');
}
