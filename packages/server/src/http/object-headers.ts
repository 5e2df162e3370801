/**
 * Which request headers become object metadata (PUT Object, Initiate, first APPEND), their
 * validation, and how a stored object's headers are answered on HEAD/GET.
 */
import {
  contentTypeForKey,
  LIMITS,
  OBJECT_ACLS,
  RESPONSE_HEADERS,
  STORAGE_CLASSES,
  STORED_OBJECT_HEADERS,
  USER_METADATA_PREFIX,
  userMetadataBytes,
} from '@coskit/protocol';
import type { ObjectInfo, StoredHeaders } from '../store/store.js';
import { CosHttpError } from './cos-http-error.js';
import { normaliseTagsAndGrants, tagsOf } from './object-tags-and-grants.js';
import { INTERNAL_HEADER_PREFIX, restoreHeaderOf } from './restore-state.js';

/**
 * Collects and validates the headers stored with a new object. With no (or an empty) Content-Type
 * the object gets the type its key's extension implies, else `application/octet-stream`, as COS
 * assigns it (`contentTypeForKey`).
 */
export function storedHeadersOf(
  header: (lowerName: string) => string | undefined,
  names: readonly string[],
  key: string,
): StoredHeaders {
  const stored: StoredHeaders = {};
  for (const name of STORED_OBJECT_HEADERS) {
    const value = header(name);
    // The Node SDK sends empty Cache-Control / Content-Type to stop proxies adding values.
    if (value !== undefined && value !== '') stored[name] = value;
  }
  for (const name of names) {
    if (name.startsWith(USER_METADATA_PREFIX)) stored[name] = header(name) ?? '';
  }
  if (userMetadataBytes(stored) > LIMITS.maxUserMetadataBytes) {
    throw new CosHttpError(
      'MetadataTooLarge',
      `The x-cos-meta-* headers total more than ${LIMITS.maxUserMetadataBytes} bytes.`,
    );
  }
  const storageClass = stored['x-cos-storage-class'];
  if (storageClass !== undefined) {
    const upper = storageClass.toUpperCase();
    if (!(STORAGE_CLASSES as readonly string[]).includes(upper)) {
      throw new CosHttpError(
        'InvalidStorageClass',
        `Storage class "${storageClass}" is not one of ${STORAGE_CLASSES.join(', ')}.`,
      );
    }
    stored['x-cos-storage-class'] = upper;
  }
  const acl = stored['x-cos-acl'];
  if (acl !== undefined && !(OBJECT_ACLS as readonly string[]).includes(acl)) {
    throw new CosHttpError('InvalidArgument', `x-cos-acl "${acl}" is not one of ${OBJECT_ACLS.join(', ')}.`);
  }
  normaliseTagsAndGrants(stored);
  stored['content-type'] ??= contentTypeForKey(key);
  return stored;
}

/** Headers answered for an object on HEAD and GET (before response-* overrides). */
export function objectResponseHeaders(record: ObjectInfo): Record<string, string> {
  const out: Record<string, string> = {
    ETag: record.etag,
    'Last-Modified': new Date(record.lastModified).toUTCString(),
    'x-cos-hash-crc64ecma': record.crc64,
    'Accept-Ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(record.headers)) {
    // ACLs and grants are not object metadata on the wire; STANDARD is implied.
    if (name === 'x-cos-acl' || name.startsWith('x-cos-grant-') || name === 'x-cos-tagging') continue;
    if (name.startsWith(INTERNAL_HEADER_PREFIX)) continue;
    if (name === 'x-cos-storage-class' && value === 'STANDARD') continue;
    out[canonicalCase(name)] = value;
  }
  if (record.appendable) out['x-cos-object-type'] = 'appendable';
  const tags = tagsOf(record.headers).length;
  if (tags > 0) out[RESPONSE_HEADERS.taggingCount] = String(tags);
  const restore = restoreHeaderOf(record);
  if (restore !== undefined) out[RESPONSE_HEADERS.restore] = restore;
  return out;
}

/** `content-type` → `Content-Type`; `x-cos-*` names stay lower-case, as Python users index them. */
function canonicalCase(name: string): string {
  if (name.startsWith('x-cos-')) return name;
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}
