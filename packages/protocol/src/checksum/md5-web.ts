/**
 * Incremental MD5 in pure JS (`@noble/hashes`) for browsers: what `#md5` resolves to outside Node
 * (package.json `imports`). Node uses its native MD5 instead (md5-node.ts).
 */
import { md5 } from '@noble/hashes/legacy.js';
import type { Md5 } from './md5.js';

export function createMd5(): Md5 {
  const hash = md5.create();
  const api: Md5 = {
    update(bytes) {
      hash.update(bytes);
      return api;
    },
    digest: () => hash.digest(),
  };
  return api;
}
