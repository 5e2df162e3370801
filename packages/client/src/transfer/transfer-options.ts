/**
 * Options shared by the advanced transfers (`uploadFile`, `uploadStream`, `uploadDirectory`,
 * `downloadFile`, `appendFile`), with their defaults and costs.
 */
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
  /**
   * Sends of one part whose CRC-64 the server found different (the slice is read again each time).
   * Every other failure is retried by the transport alone.
   */
  partAttempts: 3,
  /** Minimum interval between intermediate progress calls, ms. */
  progressIntervalMs: 200,
} as const;

/**
 * The header parameters of PUT Object that an advanced upload passes on: to the single PUT, or to
 * Initiate (where they become the object's metadata); TrafficLimit goes to every request.
 */
export type ObjectHeaderParams = Omit<PutObjectHeaders, 'ContentLength' | 'ContentMD5'>;

/** Shared by every advanced transfer: part size, concurrency, checks, the progress contract. */
export interface TransferBaseOptions {
  /**
   * Part (or range) size in MiB (as the seed). Default {@link UPLOAD_DEFAULTS.partSizeMiB}. Grown
   * automatically to keep a file within 10 000 parts. Memory: one buffer of this size per upload
   * part in flight (downloads stream each range to the file).
   */
  PartSize?: number;
  /** Parts in flight. Default {@link UPLOAD_DEFAULTS.maxThread}. Memory: `PartSize × MAXThread`. */
  MAXThread?: number;
  /**
   * Check every response's `x-cos-hash-crc64ecma` and the whole object's CRC-64 at the end.
   * Default true.
   */
  EnableCRC?: boolean;
  /** Speed limit of each request, bit/s (819200–838860800), sent as `x-cos-traffic-limit`. */
  TrafficLimit?: string | number;
  /**
   * `(consumedBytes, totalBytes)`, counted as bytes move (not per finished part), monotonic; the
   * last call is exactly 100 %, once. The canonical name; `null` = none.
   */
  onProgress?: ProgressCallback | null;
  /**
   * The seed's `progress_callback` under the mechanical snake_case → camelCase rule: the same as
   * {@link onProgress} (which is canonical), accepted so that seed ports compile. Give one of them.
   */
  progressCallback?: ProgressCallback | null;
  /** Minimum ms between intermediate progress calls. Default 200. */
  ProgressInterval?: number;
  /**
   * Called once, before any byte moves, when the transfer continues an interrupted one:
   * `(reusedBytes, totalBytes)` — bytes that will not move again (they count in `onProgress`, so a
   * caller that shows a speed subtracts them). Not called for a fresh transfer.
   */
  onResume?: ((reusedBytes: number, totalBytes: number) => void) | null;
  /** Cancels the transfer: requests in flight stop; a multipart transfer stays resumable. */
  signal?: AbortSignal;
}

/** Shared by the advanced uploads: the base options plus the object's header parameters. */
export interface TransferOptions extends TransferBaseOptions, ObjectHeaderParams {
  /** Send Content-MD5 with every request (the server checks it). Default false. */
  EnableMD5?: boolean;
}

/** The header parameters that go to PUT Object or Initiate (TrafficLimit goes to each request separately). */
export function pickObjectHeaders(p: ObjectHeaderParams): Omit<ObjectHeaderParams, 'TrafficLimit'> {
  const out: Record<string, unknown> = {};
  const source = p as Record<string, unknown>;
  for (const name of [...OBJECT_HEADER_PARAMS, 'Metadata'])
    if (source[name] !== undefined) out[name] = source[name];
  return out as Omit<ObjectHeaderParams, 'TrafficLimit'>;
}
