/**
 * Delete Multiple Objects (`POST /?delete`, doc 8289): up to 1000 keys, one commit for all of
 * them, a per-key `<Deleted>` or `<Error>`; Quiet mode lists only the errors.
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
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendXml } from '../responses.js';
import { readXmlBody } from '../xml-body.js';
import { encodingTypeOf } from './listing-common.js';

export async function deleteMultipleObjects(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const encodingType = encodingTypeOf(ctx);
  const request = parseDeleteObjects(
    await readXmlBody(ctx, { max: LIMITS.maxDeleteXmlBytes, requireMd5: true }),
  );
  const deleted: DeletedEntry[] = [];
  const errors: DeleteErrorEntry[] = [];
  const keys = new Set<string>();
  for (const { Key, VersionId } of request.Object) {
    const problem = checkObjectKey(Key);
    if (problem) {
      errors.push({
        Key,
        ...(VersionId === undefined ? {} : { VersionId }),
        Code: problem.code,
        Message: problem.message,
      });
      continue;
    }
    // Objects here have one version, "null" (see version-id.ts): any other is not there.
    if (VersionId !== undefined && VersionId !== 'null') {
      errors.push({
        Key,
        VersionId,
        Code: 'NoSuchVersion',
        Message: 'The specified version does not exist.',
      });
      continue;
    }
    keys.add(Key);
    deleted.push(VersionId === undefined ? { Key } : { Key, VersionId });
  }
  // Built before anything is deleted: an answer that cannot be written must not follow a delete.
  let xml: string;
  try {
    xml = buildDeleteResult({ Deleted: request.Quiet ? [] : deleted, Error: errors }, encodingType);
  } catch (err) {
    if (err instanceof XmlUnrepresentableError) {
      throw new CosHttpError('InvalidArgument', `${err.message}; repeat the request with encoding-type=url.`);
    }
    throw err;
  }
  if (keys.size > 0) await ctx.store.deleteObjects(bucket, [...keys]);
  sendXml(ctx.res, 200, xml);
}
