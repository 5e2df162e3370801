/**
 * The multipart half of `uploadFile`, the same in Node and in a browser: Initiate without leaving
 * an orphan, the parts on the one pool (each worker reads its part into its own buffer, so memory
 * is `PartSize × MAXThread`), a checkpoint save after every acknowledged part, Complete with the
 * parts in order, and the CRC-64 checks. Where the bytes come from (a file handle, a `Blob`) and
 * where checkpoints live (a JSON file, IndexedDB) are the caller's.
 */
import { CosClientError } from '../errors.js';
import type { SseCustomerKeyParams } from '../operations/common.js';
import { checkWholeCrc64, combineCrc64 } from './crc-parts.js';
import { type PartDescriptor, type PartPlan, partsToSend } from './part-plan.js';
import { runPool } from './pool.js';
import type { ProgressTracker } from './progress.js';
import type { Semaphore } from './semaphore.js';
import type { TransferClient } from './transfer-client.js';
import { type ObjectHeaderParams, UPLOAD_DEFAULTS } from './transfer-options.js';
import {
  type CheckpointPart,
  type DoneParts,
  listAllParts,
  listKeyUploads,
  type UploadTarget,
} from './upload-resume.js';

/**
 * One part ready to send: its body (bytes, or a `Blob` slice the browser sends from its own
 * storage) and the CRC-64 of exactly those bytes.
 */
export interface PartBody {
  readonly body: Uint8Array | Blob;
  readonly crc64: string;
  readonly size: number;
}

/**
 * Reads bytes `[start, end)` of the source for worker `worker` (0 … workers − 1, so a worker can
 * reuse one buffer: memory `PartSize × MAXThread`). Called again for a re-send.
 */
export type PartReader = (start: number, end: number, worker: number) => Promise<PartBody>;

/** What one multipart run needs. */
export interface MultipartRun {
  readonly client: TransferClient;
  readonly target: UploadTarget;
  readonly uploadId: string;
  readonly plan: PartPlan;
  /** Parts already acknowledged (resumed); parts sent now are added. */
  readonly done: DoneParts;
  readonly read: PartReader;
  /** Parts in flight. */
  readonly workers: number;
  readonly progress: ProgressTracker;
  readonly options: {
    readonly EnableMD5?: boolean | undefined;
    readonly EnableCRC?: boolean | undefined;
    readonly TrafficLimit?: string | number | undefined;
    readonly AbortOnFailure?: boolean | undefined;
    /** Sent again at Complete: a key created since Initiate is not replaced either. */
    readonly ForbidOverwrite?: 'true' | 'false' | undefined;
    readonly signal?: AbortSignal | undefined;
  };
  /** Saves the checkpoint (called once before the first part and after each acknowledged one). */
  readonly saveCheckpoint: () => Promise<void>;
  readonly removeCheckpoint: () => Promise<void>;
  /** A permit per part in flight, shared with other uploads (a folder upload). */
  readonly slots?: Semaphore | undefined;
  /** Awaited before each part starts: a paused upload lets parts in flight finish and starts none. */
  readonly beforePart?: (() => Promise<void>) | undefined;
  /** The SSE-C key of the upload, sent with every part. */
  readonly sseCustomer?: SseCustomerKeyParams | undefined;
}

export interface MultipartOutcome {
  readonly ETag: string;
  readonly 'x-cos-hash-crc64ecma'?: string | undefined;
  readonly Location?: string;
  /** Complete's `x-cos-version-id`, in a bucket with versioning. */
  readonly 'x-cos-version-id'?: string;
  readonly partsSent: number;
  readonly bytesSent: number;
}

/** Sends the missing parts, completes the upload and checks it (see the module comment). */
export async function runMultipartUpload(run: MultipartRun): Promise<MultipartOutcome> {
  const { client, target, uploadId: id, plan, done, progress, options } = run;
  const call = options.signal ? { signal: options.signal } : {};
  await run.saveCheckpoint();
  for (const part of done.values()) progress.alreadyDone(part.size);
  let partsSent = 0;
  let bytesSent = 0;
  const attempts = UPLOAD_DEFAULTS.partAttempts;
  /**
   * Reads one part into the worker's buffer and sends it. The transport retries the request;
   * this layer only reads the slice again and re-sends it when the server's CRC-64 differs.
   */
  const sendPart = async (part: PartDescriptor, worker: number): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      const { body, crc64, size } = await run.read(part.start, part.end, worker);
      let attemptBytes = 0;
      try {
        const r = await client.uploadPart({
          ...target,
          UploadId: id,
          PartNumber: part.partNumber,
          Body: body,
          Crc64: crc64,
          ...run.sseCustomer,
          ...(options.EnableMD5 ? { EnableMD5: true } : {}),
          ...(options.TrafficLimit !== undefined ? { TrafficLimit: options.TrafficLimit } : {}),
          ...call,
          onUploadProgress: (n: number) => {
            attemptBytes += n;
            if (n < 0) progress.rollback(-n);
            else progress.sent(n);
          },
        });
        const serverCrc = r['x-cos-hash-crc64ecma'];
        if ((options.EnableCRC ?? true) && serverCrc !== undefined && serverCrc !== crc64) {
          throw new CosClientError(
            'COS_CHECKSUM_MISMATCH',
            `part ${part.partNumber}: the server's CRC-64 ${serverCrc} differs from the local ${crc64}`,
          );
        }
        bytesSent += attemptBytes;
        partsSent++;
        done.set(part.partNumber, { etag: r.ETag, crc64, size });
        await run.saveCheckpoint();
        return;
      } catch (err) {
        progress.rollback(attemptBytes);
        const mismatch = (err as { code?: string }).code === 'COS_CHECKSUM_MISMATCH';
        if (!mismatch || attempt >= attempts || options.signal?.aborted) {
          throw partFailure(part.partNumber, id, err);
        }
      }
    }
  };
  /** The parts to send, each taken only once the gate (pause) lets it start. */
  async function* gated(): AsyncGenerator<PartDescriptor> {
    for (const part of partsToSend(plan, (n) => done.has(n))) {
      await run.beforePart?.();
      yield part;
    }
  }
  try {
    await runPool(gated(), { workers: run.workers, signal: options.signal }, async (part, worker) => {
      const release = await run.slots?.acquire();
      try {
        await sendPart(part, worker);
      } finally {
        release?.();
      }
    });
  } catch (err) {
    if (options.AbortOnFailure && !options.signal?.aborted) {
      await client.abortMultipartUpload({ ...target, UploadId: id }).catch(() => {});
      await run.removeCheckpoint();
    }
    throw err;
  }

  // Never complete with a missing part.
  const missing = [...partsToSend(plan, (n) => done.has(n))].map((p) => p.partNumber);
  if (missing.length > 0) {
    throw new CosClientError(
      'COS_INCOMPLETE_UPLOAD',
      `parts ${missing.join(', ')} were not uploaded; run again to resume`,
      { UploadId: id },
    );
  }
  const ordered = [...done].sort((a, b) => a[0] - b[0]);
  const combined = combineCrc64(ordered.map(([, p]) => p));
  let result: {
    ETag: string;
    'x-cos-hash-crc64ecma'?: string | undefined;
    Location?: string;
    'x-cos-version-id'?: string;
  };
  try {
    result = await client.completeMultipartUpload({
      ...target,
      UploadId: id,
      MultipartUpload: { Part: ordered.map(([PartNumber, p]) => ({ PartNumber, ETag: p.etag })) },
      ...(options.ForbidOverwrite !== undefined ? { ForbidOverwrite: options.ForbidOverwrite } : {}),
      ...call,
    });
  } catch (err) {
    // A Complete retried after its answer was lost finds its upload gone: the first one worked
    // when the object is this file.
    if ((err as { errorCode?: string }).errorCode !== 'NoSuchUpload') throw err;
    const whole = await objectIs(client, target, plan.totalSize, combined, call);
    if (!whole) throw err;
    result = whole;
  }
  await run.removeCheckpoint();
  if (options.EnableCRC ?? true) {
    checkWholeCrc64(combined, result['x-cos-hash-crc64ecma'], 'the completed object', { UploadId: id });
  }
  progress.finish();
  return { ...result, partsSent, bytesSent };
}

/** The object as HEAD shows it, when it has `size` bytes and the CRC-64 `crc64`; else undefined. */
export async function objectIs(
  client: TransferClient,
  target: UploadTarget & SseCustomerKeyParams,
  size: number,
  crc64: string | undefined,
  call: { signal?: AbortSignal },
): Promise<{ ETag: string; 'x-cos-hash-crc64ecma': string } | undefined> {
  const head = await client.headObject({ ...target, ...call }).catch((err: { statusCode?: number }) => {
    if (err.statusCode === 404) return undefined;
    throw err;
  });
  const remote = head?.['x-cos-hash-crc64ecma'];
  if (!head || head['Content-Length'] !== size || remote === undefined || remote !== crc64) return undefined;
  return { ETag: head.ETag, 'x-cos-hash-crc64ecma': remote };
}

/**
 * A checkpoint whose upload is gone: the object, when a run completed it (every part of the plan
 * is in the checkpoint, and the object's size and CRC-64 are the parts'); else undefined.
 */
export async function completedBefore(
  client: TransferClient,
  target: UploadTarget & SseCustomerKeyParams,
  checkpoint: { readonly parts: Readonly<Record<string, CheckpointPart>>; readonly partCount: number },
  size: number,
  call: { signal?: AbortSignal },
) {
  const parts = Object.entries(checkpoint.parts)
    .map(([n, p]) => [Number(n), p] as const)
    .sort((a, b) => a[0] - b[0]);
  if (parts.length !== checkpoint.partCount) return undefined;
  return objectIs(client, target, size, combineCrc64(parts.map(([, p]) => p)), call);
}

/** How long ago an upload this call lost the answer to may have been initiated (server clock). */
const LOST_INITIATE_WINDOW_MS = 15 * 60_000;

/**
 * Initiate Multipart Upload without leaving an orphan. The transport does not retry Initiate once
 * it may have reached COS (a second run would create a second upload); when its answer is lost
 * (network failure, timeout, 5xx), the key's uploads are listed and the newest one without parts,
 * initiated within the last 15 minutes, is taken as ours (a signature is only valid 15 minutes
 * around the server's clock, so the clocks agree that well). Only when there is none is Initiate
 * sent again.
 */
export async function initiate(
  client: TransferClient,
  target: UploadTarget,
  headers: Omit<ObjectHeaderParams, 'TrafficLimit'>,
  call: { signal?: AbortSignal },
): Promise<string> {
  try {
    return (await client.createMultipartUpload({ ...target, ...headers, ...call })).UploadId;
  } catch (err) {
    const e = err as { code?: string; statusCode?: number };
    const lost = e.code === 'COS_NETWORK' || e.code === 'COS_TIMEOUT' || (e.statusCode ?? 0) >= 500;
    if (!lost || call.signal?.aborted) throw err;
    const since = Date.now() - LOST_INITIATE_WINDOW_MS;
    const uploads = (await listKeyUploads(client, target, call))
      .filter((u) => Date.parse(u.Initiated) >= since)
      .sort((a, b) => (a.Initiated < b.Initiated ? 1 : a.Initiated > b.Initiated ? -1 : 0));
    for (const u of uploads) {
      const parts = await listAllParts(client, target, u.UploadId, call);
      if (parts?.length === 0) return u.UploadId;
    }
    return (await client.createMultipartUpload({ ...target, ...headers, ...call })).UploadId;
  }
}

function partFailure(partNumber: number, uploadId: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CosClientError(
    (cause as { code?: string }).code === 'COS_ABORTED' ? 'COS_ABORTED' : 'COS_PART_FAILED',
    `part ${partNumber} failed after its retries: ${reason} (UploadId ${uploadId}; run again to resume)`,
    { UploadId: uploadId, PartNumber: partNumber, cause },
  );
}
