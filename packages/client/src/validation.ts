/** Argument checks run before any I/O; each failure says what to change. */
import {
  checkBucketName,
  checkObjectKey,
  checkPageSize,
  checkPartNumber,
  checkTrafficLimit,
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

export function requireKey(key: unknown): string {
  if (typeof key !== 'string') throw invalidArgument('Key must be a string (the object key).');
  const problem = checkObjectKey(key.replace(/^\/+/, ''));
  if (problem) throw invalidArgument(problem.message);
  return key.replace(/^\/+/, '');
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
