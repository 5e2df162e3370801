/** Delete Multiple Objects: up to 1000 keys in one `POST /?delete` (doc 8289). */
import {
  buildDeleteObjects,
  type DeleteObjectEntry,
  type DeleteResult,
  LIMITS,
  parseDeleteResult,
  XmlUnrepresentableError,
} from '@coskit/protocol';
import { xmlBody } from '../body.js';
import { invalidArgument } from '../errors.js';
import type { Transport } from '../transport/request.js';
import { requireBucket, requireKey } from '../validation.js';
import { parseOrThrow } from './bucket.js';
import { type CallOptions, type HeaderResponse, headerResponse } from './common.js';

export interface DeleteObjectsParams extends CallOptions {
  Bucket: string;
  /**
   * What to delete, as the Python SDK takes it: `{ Quiet, Object: [{ Key, VersionId? }] }`.
   * `Quiet` (`true`/`'true'`) makes the answer list only the failures. 1–1000 objects.
   */
  Delete: { Quiet?: boolean | 'true' | 'false'; Object: DeleteObjectEntry[] };
  /**
   * `url` asks for percent-encoded keys in the answer (decoded before you see them), needed for
   * keys with characters XML cannot carry. Default: not sent.
   */
  EncodingType?: 'url';
}

export type DeleteObjectsResult = DeleteResult & HeaderResponse;

/**
 * Delete Multiple Objects. Per-key failures do not throw: they come back in `Error` (with `Deleted`
 * listing the rest unless Quiet). Content-MD5 is always sent, as COS requires. A key that does not
 * exist is reported as deleted, as COS does.
 */
export async function deleteObjects(t: Transport, p: DeleteObjectsParams): Promise<DeleteObjectsResult> {
  const bucket = requireBucket(p.Bucket);
  const objects = p.Delete?.Object;
  if (!Array.isArray(objects) || objects.length === 0 || objects.length > LIMITS.maxDeleteObjects) {
    throw invalidArgument(
      `Delete.Object must list 1 to ${LIMITS.maxDeleteObjects} objects as { Key, VersionId? }; got ${Array.isArray(objects) ? objects.length : 'none'}. Split larger deletes into batches.`,
    );
  }
  const entries = objects.map((o, i): DeleteObjectEntry => {
    if (typeof o !== 'object' || o === null)
      throw invalidArgument(`Delete.Object[${i}] must be { Key, VersionId? }.`);
    const Key = requireKey(o.Key);
    if (o.VersionId !== undefined && (typeof o.VersionId !== 'string' || o.VersionId === '')) {
      throw invalidArgument(`Delete.Object[${i}].VersionId must be a non-empty string when given.`);
    }
    return o.VersionId === undefined ? { Key } : { Key, VersionId: o.VersionId };
  });
  if (p.EncodingType !== undefined && p.EncodingType !== 'url') {
    throw invalidArgument(`EncodingType must be "url" when given; got "${String(p.EncodingType)}".`);
  }
  const quiet = p.Delete.Quiet === true || p.Delete.Quiet === 'true';
  let xml: string;
  try {
    xml = buildDeleteObjects({ Quiet: quiet, Object: entries });
  } catch (err) {
    if (err instanceof XmlUnrepresentableError) {
      throw invalidArgument(
        `${err.message.replace(/ \(a listing.*\)$/, '')}; delete that key with deleteObject.`,
      );
    }
    throw err;
  }
  const request = xmlBody(xml);
  const r = await t.send({
    method: 'POST',
    bucket,
    query: { delete: '', 'encoding-type': p.EncodingType },
    headers: { ...request.headers, ...p.Headers },
    body: request.body,
    signal: p.signal,
    timeout: p.Timeout,
  });
  return { ...parseOrThrow(() => parseDeleteResult(r.body)), ...headerResponse(r) };
}
