/**
 * Incremental MD5 on Node's native crypto: what `#md5` resolves to under Node (package.json
 * `imports`). Same contract as md5-web.ts; a test checks the two agree.
 */
import { createHash } from 'node:crypto';
import type { Md5 } from './md5.js';

export function createMd5(): Md5 {
  const hash = createHash('md5');
  const api: Md5 = {
    update(bytes) {
      hash.update(bytes);
      return api;
    },
    digest: () => new Uint8Array(hash.digest()),
  };
  return api;
}
