/** Argument checks run before any I/O; each failure says what to change. */
import {
  checkBucketName,
  checkKeyAddressable,
  checkObjectKey,
  checkPageSize,
  checkPartNumber,
  checkTrafficLimit,
  formatCopySource,
  LIMITS,
  parseTaggingHeader,
  USER_METADATA_PREFIX,
} from '@coskit/protocol';
import { invalidArgument } from './errors.js';

export function requireBucket(bucket: unknown): string {
  if (typeof bucket !== 'string')
    throw invalidArgument('Bucket must be a string like "examplebucket-1250000000".');
  const problem = checkBucketName(bucket);
  if (problem) throw invalidArgument(problem.message);
  return bucket;
}

/**
 * The object key of a call that puts it in the request path, without its leading `/`s (as the
 * official SDKs strip them). Refuses what COS refuses and a key the path cannot address (a last
 * segment of `.` or `..`, see protocol `checkKeyAddressable`).
 */
export function requireKey(key: unknown): string {
  if (typeof key !== 'string') throw invalidArgument('Key must be a string (the object key).');
  const stripped = key.replace(/^\/+/, '');
  const problem = checkObjectKey(stripped) ?? checkKeyAddressable(stripped);
  if (problem) throw invalidArgument(problem.message);
  return stripped;
}

export function requireUploadId(uploadId: unknown): string {
  if (typeof uploadId !== 'string' || uploadId === '')
    throw invalidArgument('UploadId must be the id returned by createMultipartUpload.');
  return uploadId;
}

export function requirePartNumber(n: unknown): number {
  const problem = checkPartNumber(n as number);
  if (problem) throw invalidArgument(problem.message);
  return Number(n);
}

export function checkTraffic(limit: unknown): void {
  if (limit === undefined) return;
  const problem = checkTrafficLimit(limit as string);
  if (problem) throw invalidArgument(problem.message);
}

export function checkMetadata(metadata: unknown): void {
  if (metadata === undefined) return;
  if (typeof metadata !== 'object' || metadata === null)
    throw invalidArgument('Metadata must be an object of "x-cos-meta-*" names to values.');
  for (const name of Object.keys(metadata)) {
    if (!name.toLowerCase().startsWith(USER_METADATA_PREFIX)) {
      throw invalidArgument(
        `Metadata key "${name}" must start with "${USER_METADATA_PREFIX}" (e.g. "x-cos-meta-${name}").`,
      );
    }
  }
}

export function checkPage(name: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  const problem = checkPageSize(name, value as number, min, max);
  if (problem) throw invalidArgument(problem.message);
}

const MAX_PART_SIZE_MIB = LIMITS.maxPartSize / (1024 * 1024);

/** The options every advanced transfer shares (see transfer/transfer-options.ts). */
interface TransferOptionFields {
  Bucket: string;
  Key?: string;
  PartSize?: number;
  MAXThread?: number;
  TrafficLimit?: string | number;
  Metadata?: Record<string, string>;
  onProgress?: unknown;
  progressCallback?: unknown;
}

/** Checks Bucket, Key (when given) and every option the advanced transfers share. */
export function checkTransferOptions(p: TransferOptionFields): void {
  requireBucket(p.Bucket);
  if (p.Key !== undefined) requireKey(p.Key);
  if (
    p.PartSize !== undefined &&
    (!Number.isInteger(p.PartSize) || p.PartSize < 1 || p.PartSize > MAX_PART_SIZE_MIB)
  ) {
    throw invalidArgument(
      `PartSize is in MiB and must be an integer from 1 to ${MAX_PART_SIZE_MIB}; got ${p.PartSize}.`,
    );
  }
  if (p.MAXThread !== undefined && (!Number.isInteger(p.MAXThread) || p.MAXThread < 1 || p.MAXThread > 256)) {
    throw invalidArgument(`MAXThread must be an integer from 1 to 256; got ${p.MAXThread}.`);
  }
  checkTraffic(p.TrafficLimit);
  checkMetadata(p.Metadata);
  for (const name of ['onProgress', 'progressCallback'] as const) {
    const value = p[name];
    if (value !== undefined && value !== null && typeof value !== 'function') {
      throw invalidArgument(`${name} must be a function (consumedBytes, totalBytes) => void.`);
    }
  }
  if (p.onProgress && p.progressCallback && p.onProgress !== p.progressCallback) {
    throw invalidArgument(
      'give onProgress or its seed name progressCallback, not two different callbacks (onProgress is canonical).',
    );
  }
}

/**
 * The transfer options with the progress callback under its canonical name (`onProgress`), taken
 * from the seed's `progressCallback` when only that is given; `null` becomes absent. Checks them
 * all first ({@link checkTransferOptions}).
 */
export function transferOptions<T extends TransferOptionFields>(
  p: T,
): Omit<T, 'progressCallback' | 'onProgress'> & {
  onProgress?: (consumedBytes: number, totalBytes: number) => void;
} {
  checkTransferOptions(p);
  const { progressCallback, onProgress, ...rest } = p;
  const callback = (onProgress ?? progressCallback ?? undefined) as
    | ((consumedBytes: number, totalBytes: number) => void)
    | undefined;
  return callback ? { ...rest, onProgress: callback } : rest;
}

/** A non-empty local path argument (`LocalFilePath`, `LocalDir`). */
export function requireLocalPath(name: string, value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw invalidArgument(`${name} must name ${what}.`);
  return value;
}

/** `Tagging` on an upload or copy: the `x-cos-tagging` form `k=v&k2=v2`, tags as COS allows them. */
export function checkTaggingParam(tagging: unknown): void {
  if (tagging === undefined) return;
  if (typeof tagging !== 'string') {
    throw invalidArgument('Tagging must be a string like "k1=v1&k2=v2" (URL-encode keys and values).');
  }
  const parsed = parseTaggingHeader(tagging);
  if ('problem' in parsed) throw invalidArgument(`Tagging: ${parsed.problem.message}`);
}

/** A `VersionId` parameter: absent (the current version), or a non-empty string (`'null'` included). */
export function checkVersionId(versionId: unknown, name = 'VersionId'): string | undefined {
  if (versionId === undefined) return undefined;
  if (typeof versionId !== 'string' || versionId === '') {
    throw invalidArgument(
      `${name} must be a version ID from a listing or an upload's answer (or "null"); got ${JSON.stringify(versionId)}. Leave it out for the current version.`,
    );
  }
  return versionId;
}

/** The source object of PUT Object - Copy and Upload Part - Copy, as in the Python SDK. */
export interface CopySource {
  Bucket: string;
  Key: string;
  /** Region of the source bucket. */
  Region: string;
  VersionId?: string;
}

/** Checks `CopySource` and returns its `x-cos-copy-source` value (protocol `formatCopySource`). */
export function copySourceHeader(source: unknown): string {
  if (typeof source !== 'object' || source === null) {
    throw invalidArgument('CopySource must be { Bucket, Region, Key, VersionId? } naming the source object.');
  }
  const s = source as Partial<CopySource>;
  requireBucket(s.Bucket);
  requireKey(s.Key);
  if (!s.Region) throw invalidArgument('CopySource.Region is required (the region of the source bucket).');
  checkVersionId(s.VersionId, 'CopySource.VersionId');
  return formatCopySource(s as CopySource);
}
