/** Options of `uploadFile` / `uploadStream` / `uploadDirectory`, with their defaults and costs. */
import { OBJECT_HEADER_PARAMS } from '../operations/common.js';
import type { PutObjectHeaders } from '../operations/object-write.js';
import type { ProgressCallback } from './progress.js';

const MiB = 1024 * 1024;

/**
 * Defaults chosen from `bench/upload-file.bench.ts --sweep` (see bench/README.md): 16 MiB parts
 * with 4 in flight were the fastest setting that holds at most 64 MiB of part buffers (8 MiB × 8
 * and 16 MiB × 16 were within noise, at equal or twice the memory); the seed's
 * `PartSize=1, MAXThread=5` remains valid.
 */
export const UPLOAD_DEFAULTS = {
  /** MiB per part. */
  partSizeMiB: 16,
  /** Parts in flight per file. */
  maxThread: 4,
  /** Files at or under this size go as one PUT Object (the seed's 20 MB). Bytes. */
  multipartThreshold: 20 * MiB,
  /** Attempts per part after the transport's own retries. */
  partAttempts: 3,
  /** Minimum interval between intermediate progress calls, ms. */
  progressIntervalMs: 200,
} as const;

/**
 * The header parameters of PUT Object that an advanced upload passes on: to the single PUT, or to
 * Initiate (where they become the object's metadata); TrafficLimit goes to every request.
 */
export type ObjectHeaderParams = Omit<PutObjectHeaders, 'ContentLength' | 'ContentMD5'>;

/** Shared by every advanced upload. */
export interface TransferOptions extends ObjectHeaderParams {
  /**
   * Part size in MiB (as the seed). Default {@link UPLOAD_DEFAULTS.partSizeMiB}. Grown automatically
   * to keep the file within 10 000 parts. Memory: one buffer of this size per part in flight.
   */
  PartSize?: number;
  /** Parts in flight. Default {@link UPLOAD_DEFAULTS.maxThread}. Memory: `PartSize × MAXThread`. */
  MAXThread?: number;
  /** Send Content-MD5 with every request (the server checks it). Default false. */
  EnableMD5?: boolean;
  /**
   * Check every response's `x-cos-hash-crc64ecma` and the whole object's CRC-64 after Complete.
   * Default true.
   */
  EnableCRC?: boolean;
  /** `(consumedBytes, totalBytes)`, counted as bytes are sent; last call is exactly 100 %. */
  onProgress?: ProgressCallback;
  /** Minimum ms between intermediate progress calls. Default 200. */
  ProgressInterval?: number;
  /** Cancels the upload: requests in flight stop; a multipart upload stays resumable. */
  signal?: AbortSignal;
}

/** The header parameters that go to PUT Object or Initiate (TrafficLimit goes to each request separately). */
export function pickObjectHeaders(p: ObjectHeaderParams): Omit<ObjectHeaderParams, 'TrafficLimit'> {
  const out: Record<string, unknown> = {};
  const source = p as Record<string, unknown>;
  for (const name of [...OBJECT_HEADER_PARAMS, 'Metadata'])
    if (source[name] !== undefined) out[name] = source[name];
  return out as Omit<ObjectHeaderParams, 'TrafficLimit'>;
}
