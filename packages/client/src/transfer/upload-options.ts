/** Options of `uploadFile` / `uploadStream` / `uploadDirectory`, with their defaults and costs. */
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

/** The header parameters of PUT Object / Initiate that an advanced upload passes on. */
export interface ObjectHeaderParams {
  ACL?: 'default' | 'private' | 'public-read' | string;
  GrantFullControl?: string;
  GrantRead?: string;
  StorageClass?: string;
  Expires?: string;
  CacheControl?: string;
  ContentType?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  /** `x-cos-meta-*` entries; names must start with `x-cos-meta-`. */
  Metadata?: Record<string, string>;
  /** bit/s, 819200–838860800, applied to every request of the upload (each part, or the PUT). */
  TrafficLimit?: string | number;
}

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

const OBJECT_HEADER_NAMES = [
  'ACL',
  'GrantFullControl',
  'GrantRead',
  'StorageClass',
  'Expires',
  'CacheControl',
  'ContentType',
  'ContentDisposition',
  'ContentEncoding',
  'ContentLanguage',
  'Metadata',
] as const;

/** The header parameters that go to PUT Object or Initiate (TrafficLimit goes to each request separately). */
export function pickObjectHeaders(p: ObjectHeaderParams): Omit<ObjectHeaderParams, 'TrafficLimit'> {
  const out: Record<string, unknown> = {};
  for (const name of OBJECT_HEADER_NAMES) if (p[name] !== undefined) out[name] = p[name];
  return out as Omit<ObjectHeaderParams, 'TrafficLimit'>;
}
