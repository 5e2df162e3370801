/**
 * MD5 as COS uses it: `Content-MD5` (base64 of the digest) and the ETag of a single PUT or a part
 * (hex). Node's native MD5 through `#md5`, pure JS elsewhere, so a browser build needs no polyfill.
 */
import { createMd5 } from '#md5';
import { bytesToBase64 } from '../base64.js';

/** An incremental MD5: feed bytes with `update`, then take the 16-byte `digest` once. */
export interface Md5 {
  update(bytes: Uint8Array): Md5;
  digest(): Uint8Array;
}

export { createMd5 };

/** Base64 MD5 of `bytes`: the value of a `Content-MD5` header. */
export function md5Base64(bytes: Uint8Array): string {
  return bytesToBase64(createMd5().update(bytes).digest());
}

/** Lower-case hex MD5 of `bytes`: an ETag without its quotes. */
export function md5Hex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of createMd5().update(bytes).digest()) hex += b.toString(16).padStart(2, '0');
  return hex;
}
