/**
 * Binary keys of the metadata store. Names are joined by a NUL byte, which neither bucket names
 * nor object keys may contain, so byte order of the composite key is byte order of the UTF-8
 * object key within a bucket — exactly the order COS lists in.
 */

import { MAX_SEQUENCE } from './version-ids.js';

const SEP = Buffer.from([0]);
/** No UTF-8 string contains 0xFF, so `prefix + 0xFF` sorts after every key with that prefix. */
const AFTER_ALL = Buffer.from([0xff]);

const utf8 = (s: string) => Buffer.from(s, 'utf8');

export function objectKey(bucket: string, key: string): Buffer {
  return Buffer.concat([utf8(bucket), SEP, utf8(key)]);
}

/** A bound greater than every object key of `bucket` that starts with `prefix`. */
export function objectRangeEnd(bucket: string, prefix: string): Buffer {
  return Buffer.concat([objectKey(bucket, prefix), AFTER_ALL]);
}

/** The smallest key strictly after `key` (for exclusive markers). */
export function justAfter(key: Buffer): Buffer {
  return Buffer.concat([key, SEP]);
}

/** A bound after every key that starts with `key` (to skip a rolled-up common prefix). */
export function pastPrefix(key: Buffer): Buffer {
  return Buffer.concat([key, AFTER_ALL]);
}

/** Decodes the object key of a composite key whose bucket part is `bucketBytes` long. */
export function tailString(composite: Uint8Array, skip: number): string {
  return Buffer.from(composite.buffer, composite.byteOffset + skip, composite.byteLength - skip).toString(
    'utf8',
  );
}

export function bucketPrefixLength(bucket: string): number {
  return Buffer.byteLength(bucket) + 1;
}

export function uploadKey(bucket: string, key: string, uploadId: string): Buffer {
  return Buffer.concat([utf8(bucket), SEP, utf8(key), SEP, utf8(uploadId)]);
}

/** Splits the `key\0uploadId` tail of an upload key. */
export function splitUploadTail(tail: string): { key: string; uploadId: string } {
  const i = tail.lastIndexOf('\u0000');
  return { key: tail.slice(0, i), uploadId: tail.slice(i + 1) };
}

export function partKey(uploadId: string, partNumber: number): Buffer {
  const n = Buffer.alloc(2);
  n.writeUInt16BE(partNumber);
  return Buffer.concat([utf8(uploadId), SEP, n]);
}

export function partRangeStart(uploadId: string, afterPartNumber = 0): Buffer {
  return partKey(uploadId, afterPartNumber + 1);
}

export function partRangeEnd(uploadId: string): Buffer {
  return Buffer.concat([utf8(uploadId), SEP, AFTER_ALL, AFTER_ALL, AFTER_ALL]);
}

export function partNumberOf(key: Uint8Array): number {
  return (key[key.length - 2]! << 8) | key[key.length - 1]!;
}

/**
 * Versions of a key in a bucket that has versioning: `bucket \0 key \0 <8 bytes big-endian of
 * MAX_SEQUENCE - seq>`. Within a key they sort newest first; and since object keys hold no NUL,
 * `objectKey(bucket, key)` < its versions < `objectKey(bucket, key + anything)`, so one ordered
 * walk over the objects and versions tables by byte order meets a key's current object, then its
 * older versions newest first, then the next key (list-versions.ts).
 */
export function versionKey(bucket: string, key: string, seq: number): Buffer {
  const n = Buffer.alloc(8);
  n.writeBigUInt64BE(BigInt(MAX_SEQUENCE - seq));
  return Buffer.concat([objectKey(bucket, key), SEP, n]);
}

/** The range of every version of one key in the versions table. */
export function versionsOfKey(bucket: string, key: string): { start: Buffer; end: Buffer } {
  const base = objectKey(bucket, key);
  return { start: Buffer.concat([base, SEP]), end: Buffer.concat([base, SEP, AFTER_ALL]) };
}

/**
 * A bound after every version of `key` but before any longer key (`key` + any character): the
 * inverted sequence's first byte is at most 0x1f (MAX_SEQUENCE < 2^53), so `\0 0xFF` is past them.
 */
export function pastVersionsOf(bucket: string, key: string): Buffer {
  return versionsOfKey(bucket, key).end;
}

/** The object key of a versions-table key (its tail without the 9-byte version suffix). */
export function keyOfVersionKey(composite: Uint8Array, skip: number): string {
  return Buffer.from(composite.buffer, composite.byteOffset + skip, composite.byteLength - skip - 9).toString(
    'utf8',
  );
}
