/** PUT, GET and DELETE Object tagging (docs 35709, 35710, 35711). */
import { buildTagging, type CosTag, checkTagSet, parseTagging } from '@coskit/protocol';
import { xmlBody } from '../body.js';
import { invalidArgument } from '../errors.js';
import type { Transport } from '../transport/request.js';
import { requireBucket, requireKey } from '../validation.js';
import { parseOrThrow } from './bucket.js';
import { type CallOptions, type HeaderResponse, headerResponse } from './common.js';

interface ObjectTaggingTarget extends CallOptions {
  Bucket: string;
  Key: string;
  VersionId?: string;
}

/** Tags in the Python SDK's shape: `{ TagSet: { Tag: [{ Key, Value }] } }`. */
export interface ObjectTagging {
  TagSet: { Tag: CosTag[] };
}

export interface PutObjectTaggingParams extends ObjectTaggingTarget {
  /** The object's new tags (replacing all old ones): at most 10, rules as COS documents. */
  Tagging: ObjectTagging;
}

export type GetObjectTaggingResult = ObjectTagging & HeaderResponse;

/** PUT Object tagging: the tags are checked (count, lengths, characters, unique keys) before any I/O. */
export async function putObjectTagging(t: Transport, p: PutObjectTaggingParams): Promise<HeaderResponse> {
  const bucket = requireBucket(p.Bucket);
  const key = requireKey(p.Key);
  const tags = p.Tagging?.TagSet?.Tag;
  if (!Array.isArray(tags)) throw invalidArgument('Tagging must be { TagSet: { Tag: [{ Key, Value }] } }.');
  const problem = checkTagSet(tags);
  if (problem) throw invalidArgument(problem.message);
  const xml = xmlBody(buildTagging({ TagSet: tags }));
  const r = await t.send({
    method: 'PUT',
    bucket,
    key,
    query: { tagging: '', versionId: p.VersionId },
    headers: { ...xml.headers, ...p.Headers },
    body: xml.body,
    signal: p.signal,
    timeout: p.Timeout,
  });
  return headerResponse(r);
}

/** GET Object tagging: `TagSet.Tag` is always an array (empty when the object has no tags). */
export async function getObjectTagging(
  t: Transport,
  p: ObjectTaggingTarget,
): Promise<GetObjectTaggingResult> {
  const r = await t.send({
    method: 'GET',
    bucket: requireBucket(p.Bucket),
    key: requireKey(p.Key),
    query: { tagging: '', versionId: p.VersionId },
    headers: p.Headers,
    signal: p.signal,
    timeout: p.Timeout,
  });
  const tagging = parseOrThrow(() => parseTagging(r.body));
  return { TagSet: { Tag: tagging.TagSet }, ...headerResponse(r) };
}

/** DELETE Object tagging: removes every tag of the object. */
export async function deleteObjectTagging(t: Transport, p: ObjectTaggingTarget): Promise<HeaderResponse> {
  const r = await t.send({
    method: 'DELETE',
    bucket: requireBucket(p.Bucket),
    key: requireKey(p.Key),
    query: { tagging: '', versionId: p.VersionId },
    headers: p.Headers,
    signal: p.signal,
    timeout: p.Timeout,
  });
  return headerResponse(r);
}
