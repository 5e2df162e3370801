/** POST Object restore: make an ARCHIVE / DEEP_ARCHIVE object readable for a while (doc 12633). */
import { buildRestoreRequest, LIMITS, RESTORE_TIERS, type RestoreRequest } from '@coskit/protocol';
import { xmlBody } from '../body.js';
import { invalidArgument } from '../errors.js';
import type { Transport } from '../transport/request.js';
import { requireBucket, requireKey } from '../validation.js';
import { type CallOptions, type HeaderResponse, headerResponse } from './common.js';

export interface RestoreObjectParams extends CallOptions {
  Bucket: string;
  Key: string;
  VersionId?: string;
  /** `{ Days, CASJobParameters: { Tier } }`: Days 1–365; Tier `Expedited`, `Standard` (default) or `Bulk`. */
  RestoreRequest: RestoreRequest;
}

/**
 * POST Object restore. Resolves when COS accepted the request (202 for a new restore, 200 when the
 * object is already restored and only the expiry moves); `x-cos-restore` on HEAD shows progress.
 */
export async function restoreObject(t: Transport, p: RestoreObjectParams): Promise<HeaderResponse> {
  const bucket = requireBucket(p.Bucket);
  const key = requireKey(p.Key);
  const request = p.RestoreRequest;
  const days = request?.Days;
  if (!Number.isSafeInteger(days) || days < LIMITS.minRestoreDays || days > LIMITS.maxRestoreDays) {
    throw invalidArgument(
      `RestoreRequest.Days must be an integer from ${LIMITS.minRestoreDays} to ${LIMITS.maxRestoreDays}; got ${String(days)}.`,
    );
  }
  const tier = request.CASJobParameters?.Tier;
  if (tier !== undefined && !(RESTORE_TIERS as readonly string[]).includes(tier)) {
    throw invalidArgument(
      `RestoreRequest.CASJobParameters.Tier must be one of ${RESTORE_TIERS.join(', ')}; got "${tier}".`,
    );
  }
  const xml = xmlBody(buildRestoreRequest(request));
  const r = await t.send({
    method: 'POST',
    bucket,
    key,
    query: { restore: '', versionId: p.VersionId },
    headers: { ...xml.headers, ...p.Headers },
    body: xml.body,
    signal: p.signal,
    timeout: p.Timeout,
  });
  return headerResponse(r);
}
