/**
 * Authorisation. Every signed request with a known key may do anything (one tenant per server).
 * Anonymous requests may read what is public: objects with `x-cos-acl: public-read` or a READ grant
 * to all users, or objects with no ACL of their own (`default`) in a `public-read`/`public-read-write`
 * bucket; they may write only into a `public-read-write` bucket. The object APIs (copy, batch
 * delete, ACL, tagging) are never anonymous: a copy would need read on a source it does not name.
 */
import type { Store } from '../store/store.js';
import type { Principal } from './auth.js';
import { CosHttpError } from './cos-http-error.js';
import { objectIsPublic } from './object-tags-and-grants.js';
import type { Operation } from './router.js';

const OBJECT_READS: readonly Operation[] = ['GetObject', 'HeadObject', 'GetObjectAttributes'];
const BUCKET_READS: readonly Operation[] = ['ListObjects', 'ListObjectsV2', 'HeadBucket'];
const WRITES: readonly Operation[] = [
  'PutObject',
  'AppendObject',
  'InitiateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
];

export async function authorize(
  principal: Principal,
  op: Operation,
  store: Store,
  bucket: string | undefined,
  key: string,
  /** The request's `versionId`: an anonymous read of a version is decided by that version's ACL. */
  versionId?: string,
): Promise<void> {
  if (principal.kind === 'key') return;
  // Browsers send preflights unsigned; they only read the bucket's CORS rules (doc 8288).
  if (op === 'OptionsObject') return;
  // A form upload authenticates itself by its policy signature; its handler authorises the write.
  if (op === 'PostObject') return;
  const bucketAcl = bucket ? (await store.getBucket(bucket))?.acl : undefined;
  const bucketReadable = bucketAcl === 'public-read' || bucketAcl === 'public-read-write';
  if (bucket && OBJECT_READS.includes(op)) {
    // The object's stored ACL: its canned ACL and grants (PUT Object acl rewrites both).
    const headers = (await store.getObject(bucket, key, { versionId: versionId || undefined }))?.headers;
    if (headers && objectIsPublic(headers)) return;
    const objectAcl = headers?.['x-cos-acl'];
    if ((objectAcl === undefined || objectAcl === 'default') && bucketReadable) return;
  }
  if (BUCKET_READS.includes(op) && bucketReadable) return;
  if (WRITES.includes(op) && bucketAcl === 'public-read-write') return;
  throw new CosHttpError('AccessDenied');
}
