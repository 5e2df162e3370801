/** PUT/GET Bucket versioning and GET Bucket Object versions (docs 19889, 19888, 35521). */

import {
  buildVersioningConfiguration,
  type CommonPrefix,
  LIMITS,
  type ListedDeleteMarker,
  type ListedVersion,
  type ListVersionsResult,
  parseListVersionsResult,
  parseVersioningConfiguration,
  VERSIONING_STATUSES,
  type VersioningStatus,
} from '@coskit/protocol';
import { xmlBody } from '../body.js';
import { invalidArgument } from '../errors.js';
import type { Transport } from '../transport/request.js';
import { checkPage, requireBucket } from '../validation.js';
import { parseOrThrow } from './bucket.js';
import { type CallOptions, type HeaderResponse, headerResponse } from './common.js';

export interface PutBucketVersioningParams extends CallOptions {
  Bucket: string;
  /** `Enabled` or `Suspended` (a versioned bucket cannot go back to never-versioned). */
  Status: VersioningStatus;
}

export interface GetBucketVersioningResult extends HeaderResponse {
  /** Left out for a bucket that never had versioning. */
  Status?: VersioningStatus;
}

/** PUT Bucket versioning. */
export async function putBucketVersioning(
  t: Transport,
  p: PutBucketVersioningParams,
): Promise<HeaderResponse> {
  const bucket = requireBucket(p.Bucket);
  if (!(VERSIONING_STATUSES as readonly string[]).includes(p.Status)) {
    throw invalidArgument(`Status must be "Enabled" or "Suspended"; got "${String(p.Status)}".`);
  }
  const xml = xmlBody(buildVersioningConfiguration({ Status: p.Status }));
  const r = await t.send({
    method: 'PUT',
    bucket,
    query: { versioning: '' },
    headers: { ...xml.headers, ...p.Headers },
    body: xml.body,
    signal: p.signal,
    timeout: p.Timeout,
  });
  return headerResponse(r);
}

/** GET Bucket versioning. */
export async function getBucketVersioning(
  t: Transport,
  p: CallOptions & { Bucket: string },
): Promise<GetBucketVersioningResult> {
  const r = await t.send({
    method: 'GET',
    bucket: requireBucket(p.Bucket),
    query: { versioning: '' },
    headers: p.Headers,
    signal: p.signal,
    timeout: p.Timeout,
  });
  return { ...parseOrThrow(() => parseVersioningConfiguration(r.body)), ...headerResponse(r) };
}

export interface ListObjectsVersionsParams extends CallOptions {
  Bucket: string;
  Prefix?: string;
  Delimiter?: string;
  /** List after this key (with `VersionIdMarker`: after that version of it). */
  KeyMarker?: string;
  VersionIdMarker?: string;
  /** 1–1000, default 1000 (versions, delete markers and common prefixes all count). */
  MaxKeys?: number;
  /**
   * Default `url` (keys decoded before you see them, as the Python SDK does); `''` sends no
   * `encoding-type`.
   */
  EncodingType?: 'url' | '';
}

/** A page of versions in the Python SDK's shape: `Version` and `DeleteMarker` lists apart. */
export interface ListObjectsVersionsResult extends Omit<ListVersionsResult, 'Entries'>, HeaderResponse {
  Version: Omit<ListedVersion, 'Type'>[];
  DeleteMarker: Omit<ListedDeleteMarker, 'Type'>[];
  CommonPrefixes: CommonPrefix[];
}

/** One page of GET Bucket Object versions; follow `NextKeyMarker`/`NextVersionIdMarker` while `IsTruncated`. */
export async function listObjectsVersions(
  t: Transport,
  p: ListObjectsVersionsParams,
): Promise<ListObjectsVersionsResult> {
  const bucket = requireBucket(p.Bucket);
  checkPage('MaxKeys', p.MaxKeys, 1, LIMITS.maxListKeys);
  if (p.VersionIdMarker && !p.KeyMarker) {
    throw invalidArgument('VersionIdMarker needs KeyMarker (the key that version belongs to).');
  }
  const r = await t.send({
    method: 'GET',
    bucket,
    query: {
      versions: '',
      prefix: p.Prefix,
      delimiter: p.Delimiter,
      'key-marker': p.KeyMarker,
      'version-id-marker': p.VersionIdMarker,
      'max-keys': p.MaxKeys,
      'encoding-type': p.EncodingType === '' ? undefined : (p.EncodingType ?? 'url'),
    },
    headers: p.Headers,
    signal: p.signal,
    timeout: p.Timeout,
  });
  const { Entries, ...page } = parseOrThrow(() => parseListVersionsResult(r.body));
  const versions: Omit<ListedVersion, 'Type'>[] = [];
  const markers: Omit<ListedDeleteMarker, 'Type'>[] = [];
  for (const { Type, ...entry } of Entries) {
    if (Type === 'Version') versions.push(entry as Omit<ListedVersion, 'Type'>);
    else markers.push(entry);
  }
  return { ...page, Version: versions, DeleteMarker: markers, ...headerResponse(r) };
}
