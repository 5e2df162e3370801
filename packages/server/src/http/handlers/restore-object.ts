/**
 * POST Object restore (`?restore`, doc 12633): an ARCHIVE / DEEP_ARCHIVE object becomes readable
 * after the server's restore delay, for `Days` days. 202 for a new restore, 200 when a restored
 * copy's expiry is moved; 409 RestoreAlreadyInProgress while one runs.
 */
import { DEEP_ARCHIVE_RESTORE_TIERS, parseRestoreRequest } from '@coskit/protocol';
import { CosHttpError } from '../cos-http-error.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty } from '../responses.js';
import { isCold, restoreStateOf, withRestore } from '../restore-state.js';
import { requestedVersionId } from '../version-id.js';
import { readXmlBody } from '../xml-body.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function restoreObject(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const versionId = requestedVersionId(ctx);
  const request = parseRestoreRequest(await readXmlBody(ctx));
  const tier = request.CASJobParameters?.Tier ?? 'Standard';
  let status = 202;
  await ctx.store.updateObjectHeaders(
    bucket,
    ctx.key,
    (current) => {
      if (!isCold(current)) {
        throw new CosHttpError('InvalidObjectState', 'Only ARCHIVE and DEEP_ARCHIVE objects are restored.');
      }
      if (
        current.headers['x-cos-storage-class'] === 'DEEP_ARCHIVE' &&
        !DEEP_ARCHIVE_RESTORE_TIERS.includes(tier)
      ) {
        throw new CosHttpError(
          'InvalidArgument',
          `DEEP_ARCHIVE objects are restored with Tier ${DEEP_ARCHIVE_RESTORE_TIERS.join(' or ')}, not ${tier}.`,
        );
      }
      const now = Date.now();
      const state = restoreStateOf(current.headers, now);
      if (state.kind === 'ongoing') throw new CosHttpError('RestoreAlreadyInProgress');
      if (state.kind === 'restored') {
        status = 200;
        return withRestore(current.headers, now, now + request.Days * DAY_MS);
      }
      const readyAt = now + ctx.config.restoreDelayMs;
      return withRestore(current.headers, readyAt, readyAt + request.Days * DAY_MS);
    },
    { versionId },
  );
  sendEmpty(ctx.res, status);
}
