/** Errors and argument checks of the advanced uploads (all thrown before any I/O where possible). */
import {
  checkBucketName,
  checkObjectKey,
  checkTrafficLimit,
  LIMITS,
  USER_METADATA_PREFIX,
} from '@coskit/protocol';
import { CosClientError } from '../errors.js';
import type { TransferOptions } from './upload-options.js';

/** Extra fields an advanced-upload error carries so the caller can resume or abort. */
export interface TransferErrorDetails {
  UploadId?: string;
  PartNumber?: number;
  cause?: unknown;
}

export function transferError(
  code: string,
  message: string,
  details: TransferErrorDetails = {},
): CosClientError {
  const { cause, ...fields } = details;
  const error = new CosClientError(code, message, cause === undefined ? undefined : { cause });
  return Object.assign(error, fields);
}

const MAX_PART_SIZE_MIB = LIMITS.maxPartSize / (1024 * 1024);

/** Checks Bucket, Key and every option shared by the advanced uploads. */
export function validateTransferOptions(p: TransferOptions & { Bucket: string; Key?: string }): void {
  const bucket = checkBucketName(String(p.Bucket ?? ''));
  if (bucket) throw transferError('COS_INVALID_ARGUMENT', bucket.message);
  if (p.Key !== undefined) {
    const key = checkObjectKey(String(p.Key));
    if (key) throw transferError('COS_INVALID_ARGUMENT', key.message);
  }
  if (
    p.PartSize !== undefined &&
    (!Number.isInteger(p.PartSize) || p.PartSize < 1 || p.PartSize > MAX_PART_SIZE_MIB)
  ) {
    throw transferError(
      'COS_INVALID_ARGUMENT',
      `PartSize is in MiB and must be an integer from 1 to ${MAX_PART_SIZE_MIB}; got ${p.PartSize}.`,
    );
  }
  if (p.MAXThread !== undefined && (!Number.isInteger(p.MAXThread) || p.MAXThread < 1 || p.MAXThread > 256)) {
    throw transferError(
      'COS_INVALID_ARGUMENT',
      `MAXThread must be an integer from 1 to 256; got ${p.MAXThread}.`,
    );
  }
  if (p.TrafficLimit !== undefined) {
    const problem = checkTrafficLimit(p.TrafficLimit);
    if (problem) throw transferError('COS_INVALID_ARGUMENT', problem.message);
  }
  for (const name of Object.keys(p.Metadata ?? {})) {
    if (!name.toLowerCase().startsWith(USER_METADATA_PREFIX)) {
      throw transferError(
        'COS_INVALID_ARGUMENT',
        `Metadata key "${name}" must start with "${USER_METADATA_PREFIX}" (e.g. "x-cos-meta-${name}").`,
      );
    }
  }
  if (p.onProgress !== undefined && typeof p.onProgress !== 'function') {
    throw transferError(
      'COS_INVALID_ARGUMENT',
      'onProgress must be a function (consumedBytes, totalBytes) => void.',
    );
  }
}
