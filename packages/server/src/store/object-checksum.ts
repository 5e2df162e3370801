/**
 * The S3 checksum kept with an object (`x-amz-checksum-*` of PUT Object, the checksum Complete makes
 * of a multipart upload's parts, a copy's), backend-neutral. It lives in internal stored headers, so
 * every write that stores headers keeps it and every read returns it without a new record field:
 * `x-coskit-checksum-<algorithm>` (base64, a composite one ending in `-<parts>`) and
 * `x-coskit-checksum-type` (`COMPOSITE`; absent = `FULL_OBJECT`, which is what PUT Object stores).
 * A multipart object's part checksums are kept with its part sizes (object-parts.ts).
 * Handlers never answer `x-coskit-*` headers as such (object-headers.ts).
 */
import { AWS_CHECKSUM_ALGORITHMS, type AwsChecksumAlgorithm, type AwsChecksumType } from '@coskit/protocol';
import type { StoredHeaders } from './store.js';

const VALUE_PREFIX = 'x-coskit-checksum-';
const TYPE_HEADER = 'x-coskit-checksum-type';

/** An object's checksum: algorithm, base64 value and how it was made. */
export interface ObjectChecksum {
  readonly algorithm: AwsChecksumAlgorithm;
  readonly value: string;
  readonly type: AwsChecksumType;
}

/** The stored headers that record `checksum` (to merge into an object's headers). */
export function checksumHeaders(checksum: ObjectChecksum): StoredHeaders {
  return {
    [`${VALUE_PREFIX}${checksum.algorithm}`]: checksum.value,
    ...(checksum.type === 'FULL_OBJECT' ? {} : { [TYPE_HEADER]: checksum.type }),
  };
}

/** The checksum an object's stored headers record, if any. */
export function objectChecksumOf(headers: StoredHeaders): ObjectChecksum | undefined {
  for (const algorithm of AWS_CHECKSUM_ALGORITHMS) {
    const value = headers[`${VALUE_PREFIX}${algorithm}`];
    if (value === undefined) continue;
    const type = headers[TYPE_HEADER] === 'COMPOSITE' ? 'COMPOSITE' : 'FULL_OBJECT';
    return { algorithm, value, type };
  }
  return undefined;
}

/** `headers` without a recorded checksum (a copy that computes its own). */
export function withoutChecksum(headers: StoredHeaders): StoredHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(VALUE_PREFIX)));
}
