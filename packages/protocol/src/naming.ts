/**
 * Naming rules for buckets and object keys (../shared/cos-protocol.md §1.3, §1.4), shared by the
 * client (which refuses bad names before any I/O) and the server (which answers the COS error).
 */

import type { CosErrorCode } from './errors.js';
import { LIMITS } from './limits.js';
import { encodeKeyPath } from './url-encoding.js';
import { utf8ByteLength } from './utf8.js';

/** Why a name was refused: the COS code the server answers and a message that says what to change. */
export interface NamingProblem {
  readonly code: CosErrorCode;
  readonly message: string;
}

const BUCKET_FORM = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)-(\d+)$/;

/** Splits `examplebucket-1250000000` into its name and APPID, or undefined if not of that form. */
export function splitBucketName(bucket: string): { name: string; appId: string } | undefined {
  const m = BUCKET_FORM.exec(bucket);
  return m ? { name: m[1]!, appId: m[2]! } : undefined;
}

/**
 * Checks a full bucket name `<BucketName>-<APPID>`: the name part is 1–50 characters of
 * lowercase letters, digits and `-`, not starting or ending with `-`; the APPID is a positive
 * number of at most 10 digits. With `region`, also the COS rule that the virtual host
 * `<bucket>.cos.<region>.myqcloud.com` is at most 60 characters (doc 13312).
 */
export function checkBucketName(bucket: string, region?: string): NamingProblem | undefined {
  const parts = splitBucketName(bucket);
  if (!parts) {
    return {
      code: 'InvalidBucketName',
      message: `Bucket "${bucket}" must look like "examplebucket-1250000000": lowercase letters, digits and "-", then "-" and the numeric APPID.`,
    };
  }
  if (parts.appId.length > LIMITS.maxAppIdDigits || parts.appId.startsWith('0')) {
    return {
      code: 'InvalidBucketName',
      message: `APPID "${parts.appId}" of bucket "${bucket}" must be a number of 1 to ${LIMITS.maxAppIdDigits} digits without a leading 0 (e.g. 1250000000).`,
    };
  }
  if (parts.name.length > LIMITS.maxBucketNameLength) {
    return {
      code: 'BucketNameTooLong',
      message: `Bucket name "${parts.name}" is ${parts.name.length} characters; at most ${LIMITS.maxBucketNameLength} are allowed before "-${parts.appId}".`,
    };
  }
  if (region !== undefined) {
    const host = bucketHost(bucket, region);
    if (host.length > LIMITS.maxBucketHostLength) {
      return {
        code: 'BucketNameTooLong',
        message: `Host "${host}" is ${host.length} characters; COS allows ${LIMITS.maxBucketHostLength}, so shorten the bucket name by ${host.length - LIMITS.maxBucketHostLength}.`,
      };
    }
  }
  return undefined;
}

/** The canonical virtual host of a bucket: `<bucket>.cos.<region>.myqcloud.com`. */
export function bucketHost(bucket: string, region: string): string {
  return `${bucket}.cos.${region}.myqcloud.com`;
}

// CAN, EM, SUB, ESC: COS refuses them in keys; NUL is refused too since no file system or
// C string survives it.
const FORBIDDEN_KEY_CODES = new Set([0x00, 0x18, 0x19, 0x1a, 0x1b]);

function hasForbiddenKeyChar(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (FORBIDDEN_KEY_CODES.has(key.charCodeAt(i))) return true;
  return false;
}

/**
 * Checks an object key: non-empty, at most 850 UTF-8 bytes, no control characters COS forbids,
 * valid UTF-16 (no lone surrogates, which cannot be encoded as UTF-8).
 */
export function checkObjectKey(key: string): NamingProblem | undefined {
  if (key.length === 0) return { code: 'InvalidObjectName', message: 'The object key must not be empty.' };
  if (!key.isWellFormed()) {
    return {
      code: 'InvalidObjectName',
      message: 'The object key contains an unpaired surrogate (invalid Unicode).',
    };
  }
  const bytes = utf8ByteLength(key);
  if (bytes > LIMITS.maxKeyBytes) {
    return {
      code: 'KeyTooLong',
      message: `The object key is ${bytes} bytes in UTF-8; at most ${LIMITS.maxKeyBytes} are allowed.`,
    };
  }
  if (hasForbiddenKeyChar(key)) {
    return {
      code: 'InvalidObjectName',
      message: 'The object key contains a forbidden control character (NUL, CAN, EM, SUB or ESC).',
    };
  }
  return undefined;
}

/**
 * Refuses a key whose request path ends in a `.` or `..` segment (`.`, `..`, `a/..`, `logs/.`):
 * such a key cannot be addressed. A dot segment followed by `/` is sent as `.%2F` (encodeKeyPath),
 * which is no dot segment, so `a/./b`, `../x` and `../..` stay keys of their own; a trailing one has
 * no `/` to encode, and `%2E` is resolved too, so COS would act on another key or on the bucket
 * itself (GET would list it, DELETE would delete it). The official SDKs refuse GetObject of a key
 * that resolves to the bucket for the same reason (see docs/PROTOCOL-DECISIONS.md).
 */
export function checkKeyAddressable(key: string): NamingProblem | undefined {
  const segments = encodeKeyPath(key).split('/');
  const last = segments.at(-1);
  if (last !== '.' && last !== '..') return undefined;
  const resolved = decodeURIComponent([...segments.slice(0, last === '.' ? -1 : -2), ''].join('/'));
  const target = resolved === '' ? 'the bucket itself' : `the key "${resolved}"`;
  return {
    code: 'InvalidObjectName',
    message: `The key "${key}" ends in a "${last}" path segment, which COS resolves like a file path: the request would act on ${target}, not on this key. Use a key whose last segment is not "." or "..".`,
  };
}
