/**
 * One file's upload, as the queue sees it: progress, pause (parts in flight finish, then it
 * holds), resume, cancel (requests aborted, the multipart upload aborted on the server). The bytes
 * go through the browser build of `@coskit/client`: `uploadFile` for a `File` (one PUT up to the
 * threshold, multipart above it with CRC-64 checks, an IndexedDB checkpoint confirmed by ListParts
 * that resumes the upload after a reload when the same file is picked again).
 */
import type { Cos } from '../cos.js';

export interface Transfer {
  pause(): void;
  resume(): void;
  cancel(): void;
  /** Settles when the object is stored (or with the error / cancellation). */
  readonly done: Promise<void>;
}

export interface TransferParams {
  readonly Bucket: string;
  readonly Key: string;
  readonly file: File;
  /** Bytes sent so far (the client's progress contract: monotonic, one 100 %). */
  readonly onProgress: (sent: number) => void;
}

/**
 * The console's choices, smaller than the SDK's defaults (20 MiB threshold, 16 MiB × 4) so that
 * Pause and a reload lose little: one PUT up to 8 MiB, then parts of 4 MiB (MiB, as the seed
 * counts), 3 at a time. Memory: PartSize × MAXThread = 12 MiB per file uploading.
 */
const MULTIPART_THRESHOLD = 8 * 1024 * 1024;
const PART_SIZE_MIB = 4;
const PARTS_AT_ONCE = 3;

export function startTransfer(client: Cos, p: TransferParams): Transfer {
  const task = client.uploadFile({
    Bucket: p.Bucket,
    Key: p.Key,
    Body: p.file,
    MultipartThreshold: MULTIPART_THRESHOLD,
    PartSize: PART_SIZE_MIB,
    MAXThread: PARTS_AT_ONCE,
    ...(p.file.type ? { ContentType: p.file.type } : {}),
    onProgress: (consumed) => p.onProgress(consumed),
  });
  return {
    pause: () => task.pause(),
    resume: () => task.resume(),
    cancel: () => void task.cancel(),
    done: task.done.then(() => undefined),
  };
}
