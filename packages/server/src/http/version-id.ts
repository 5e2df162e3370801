/**
 * `versionId` on object requests and the version headers of answers. IDs are `null` or ones this
 * server issued (store/version-ids.ts); anything else is refused before the store is asked.
 */
import { RESPONSE_HEADERS } from '@coskit/protocol';
import type { BucketInfo, DeleteMarkerInfo, ObjectInfo } from '../store/store.js';
import { isWellFormedVersionId, NULL_VERSION_ID } from '../store/version-ids.js';
import { CosHttpError } from './cos-http-error.js';
import type { RequestContext } from './request-context.js';

/**
 * A version ID from a request (`versionId=`, a copy source's, a Delete entry's): undefined when
 * absent or empty (the current version); `400 InvalidArgument` when it cannot name a version.
 */
export function checkedVersionId(raw: string | undefined, where = 'versionId'): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!isWellFormedVersionId(raw)) {
    throw new CosHttpError('InvalidArgument', `Invalid version id specified in ${where}: "${raw}".`);
  }
  return raw;
}

/** The request's `versionId` query parameter, checked (see {@link checkedVersionId}). */
export function requestedVersionId(ctx: RequestContext): string | undefined {
  return checkedVersionId(ctx.param('versionId'));
}

/**
 * `x-cos-version-id` for an answer about `object` in `bucket`: only once the bucket has had
 * versioning (COS sends none otherwise); objects written before are the `null` version. For a
 * write's answer `bucket` may be left out: the store gave every write there a `versionId`.
 */
export function versionHeaders(bucket: BucketInfo | undefined, object: ObjectInfo): Record<string, string> {
  if (bucket?.versioning === undefined && object.versionId === undefined) return {};
  return { [RESPONSE_HEADERS.versionId]: object.versionId ?? NULL_VERSION_ID };
}

/**
 * Why a read found no object, as COS answers it: a key whose latest version is a delete marker is
 * `404 NoSuchKey` with `x-cos-delete-marker: true` and the marker's ID; a version that is a delete
 * marker is `405 MethodNotAllowed` with the same headers; a missing version `404 NoSuchVersion`.
 */
export async function missingObject(
  ctx: RequestContext,
  bucket: string,
  versionId: string | undefined,
): Promise<CosHttpError> {
  const marker = await ctx.store.getDeleteMarker(bucket, ctx.key, { versionId });
  if (marker) {
    setDeleteMarkerHeaders(ctx, marker);
    return versionId === undefined
      ? new CosHttpError('NoSuchKey')
      : new CosHttpError('MethodNotAllowed', 'The specified version is a delete marker.');
  }
  return new CosHttpError(versionId === undefined ? 'NoSuchKey' : 'NoSuchVersion');
}

function setDeleteMarkerHeaders(ctx: RequestContext, marker: DeleteMarkerInfo): void {
  ctx.res.setHeader(RESPONSE_HEADERS.deleteMarker, 'true');
  ctx.res.setHeader(RESPONSE_HEADERS.versionId, marker.versionId);
}
