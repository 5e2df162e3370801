/**
 * `versionId` on object requests. This server does not version objects: the only version of an
 * object is the current one, named "null" (as COS names versions of never-versioned buckets).
 */
import { CosHttpError } from './cos-http-error.js';
import type { RequestContext } from './request-context.js';

/** Refuses any versionId but "null" with 404 NoSuchVersion, so no request acts on the wrong version. */
export function requireCurrentVersion(ctx: RequestContext): void {
  const versionId = ctx.param('versionId');
  if (versionId !== undefined && versionId !== '' && versionId !== 'null')
    throw new CosHttpError('NoSuchVersion');
}
