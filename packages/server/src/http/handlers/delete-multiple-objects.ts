/**
 * Delete Multiple Objects (`POST /?delete`, doc 8289): up to 1000 keys, one commit for all of
 * them, a per-key `<Deleted>` or `<Error>`; Quiet mode lists only the errors. In a bucket with
 * versioning an entry without `VersionId` writes a delete marker (`DeleteMarker`,
 * `DeleteMarkerVersionId`), one with `VersionId` removes that version for good.
 */
import {
  buildDeleteResult,
  checkObjectKey,
  type DeletedEntry,
  type DeleteErrorEntry,
  LIMITS,
  parseDeleteObjects,
  XmlUnrepresentableError,
} from '@coskit/protocol';
import type { DeleteOutcome, DeleteTarget } from '../../store/store.js';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendXml } from '../responses.js';
import { checkedVersionId } from '../version-id.js';
import { readXmlBody } from '../xml-body.js';
import { encodingTypeOf } from './listing-common.js';

export async function deleteMultipleObjects(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const encodingType = encodingTypeOf(ctx);
  const request = parseDeleteObjects(
    await readXmlBody(ctx, { max: LIMITS.maxDeleteXmlBytes, requireMd5: true }),
  );
  const errors: DeleteErrorEntry[] = [];
  const targets: DeleteTarget[] = [];
  // The same key and version twice is deleted once (twice would write two delete markers).
  const seen = new Set<string>();
  for (const { Key, VersionId } of request.Object) {
    const problem = checkObjectKey(Key) ?? versionProblem(VersionId);
    if (problem) {
      errors.push({
        Key,
        ...(VersionId === undefined ? {} : { VersionId }),
        Code: problem.code,
        Message: problem.message,
      });
      continue;
    }
    const id = `${VersionId ?? ''}\u0000${Key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    targets.push(VersionId === undefined ? { key: Key } : { key: Key, versionId: VersionId });
  }
  // Rendered once before anything is deleted: an answer that cannot be written must not follow a
  // delete. The version IDs a delete writes are URL-safe, so the final answer renders too.
  render(
    request.Quiet,
    targets.map((t) => deletedEntry(t, {})),
    errors,
    encodingType,
  );
  const outcomes = targets.length > 0 ? await ctx.store.deleteObjects(bucket, targets) : [];
  const deleted: DeletedEntry[] = [];
  targets.forEach((target, i) => {
    const outcome = outcomes[i] ?? {};
    if (!outcome.noSuchVersion) deleted.push(deletedEntry(target, outcome));
    else
      errors.push({
        Key: target.key,
        VersionId: target.versionId!,
        Code: 'NoSuchVersion',
        Message: 'The specified version does not exist.',
      });
  });
  sendXml(ctx.res, 200, render(request.Quiet, deleted, errors, encodingType));
}

function versionProblem(
  versionId: string | undefined,
): { code: 'InvalidArgument'; message: string } | undefined {
  try {
    checkedVersionId(versionId, 'VersionId');
    return undefined;
  } catch (err) {
    return { code: 'InvalidArgument', message: (err as Error).message };
  }
}

/** `<Deleted>` as COS words it: the version named, and the delete marker written or removed. */
function deletedEntry(target: DeleteTarget, outcome: DeleteOutcome): DeletedEntry {
  return {
    Key: target.key,
    ...(target.versionId === undefined ? {} : { VersionId: target.versionId }),
    ...(outcome.deleteMarker ? { DeleteMarker: true } : {}),
    ...(outcome.deleteMarker && outcome.versionId !== undefined
      ? { DeleteMarkerVersionId: outcome.versionId }
      : {}),
  };
}

function render(
  quiet: boolean,
  deleted: DeletedEntry[],
  errors: DeleteErrorEntry[],
  encodingType: ReturnType<typeof encodingTypeOf>,
): string {
  try {
    return buildDeleteResult({ Deleted: quiet ? [] : deleted, Error: errors }, encodingType);
  } catch (err) {
    if (err instanceof XmlUnrepresentableError) {
      throw new CosHttpError('InvalidArgument', `${err.message}; repeat the request with encoding-type=url.`);
    }
    throw err;
  }
}
