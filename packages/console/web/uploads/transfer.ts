/**
 * One file's upload, as the queue sees it: progress, pause (parts in flight finish, then it
 * holds), resume, cancel (requests aborted, the multipart upload aborted). The bytes go through
 * the browser build of `@coskit/client`.
 *
 * INTERIM: until the browser client's `uploadFile` for a `File` lands, this drives the client's
 * plain calls (PUT Object up to the threshold; Initiate / Upload Part / Complete above it, parts
 * read with `File.slice`, resume after a reload through a stored UploadId confirmed by ListParts).
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
  /** Bytes sent so far (in flight included; a retried attempt's bytes are taken back). */
  readonly onProgress: (sent: number) => void;
}

/** One PUT up to this size (the client's uploadFile threshold); multipart above. */
const SINGLE_PUT_MAX = 8 * 1024 * 1024;
const MIB = 1024 * 1024;
const PART_SIZE = 4 * MIB;
const MAX_PARTS = 10_000;
const PARTS_AT_ONCE = 3;

const checkpointKey = (p: TransferParams) =>
  `coskit-console-upload:${p.Bucket}/${p.Key}:${p.file.name}:${p.file.size}:${p.file.lastModified}`;

export function startTransfer(client: Cos, p: TransferParams): Transfer {
  const abort = new AbortController();
  let paused = false;
  // Every part worker waiting for Resume (or Cancel).
  let waiting: (() => void)[] = [];
  const wakeAll = () => {
    for (const wake of waiting) wake();
    waiting = [];
  };
  const waitWhilePaused = async () => {
    while (paused && !abort.signal.aborted) {
      await new Promise<void>((r) => waiting.push(r));
    }
  };
  let sent = 0;
  const progress = (bytes: number) => {
    sent += bytes;
    p.onProgress(sent);
  };

  let uploadId: string | undefined;
  const run = async () => {
    await waitWhilePaused();
    if (p.file.size <= SINGLE_PUT_MAX) {
      await client.putObject({
        Bucket: p.Bucket,
        Key: p.Key,
        Body: p.file,
        ContentType: p.file.type || undefined,
        onUploadProgress: progress,
        signal: abort.signal,
      });
      return;
    }
    // Parts of PART_SIZE, grown (whole MiB) to stay within COS's 10 000 parts.
    const partSize = Math.max(PART_SIZE, Math.ceil(p.file.size / MAX_PARTS / MIB) * MIB);
    const count = Math.ceil(p.file.size / partSize);
    const partBytes = (n: number) => Math.min(partSize, p.file.size - (n - 1) * partSize);
    uploadId = localStorage.getItem(checkpointKey(p)) ?? undefined;
    const done = new Map<number, string>();
    if (uploadId) {
      try {
        for (let marker: number | undefined = 0; marker !== undefined; ) {
          const listed = await client.listParts({
            Bucket: p.Bucket,
            Key: p.Key,
            UploadId: uploadId,
            PartNumberMarker: marker,
            signal: abort.signal,
          });
          // Only parts of the size this plan gives them: anything else is sent again.
          for (const part of listed.Part) {
            if (part.Size === partBytes(part.PartNumber)) done.set(part.PartNumber, part.ETag);
          }
          marker = listed.IsTruncated ? listed.NextPartNumberMarker : undefined;
        }
      } catch {
        uploadId = undefined; // aborted or completed meanwhile: start over
      }
    }
    if (!uploadId) {
      const init = await client.createMultipartUpload({
        Bucket: p.Bucket,
        Key: p.Key,
        ContentType: p.file.type || undefined,
        signal: abort.signal,
      });
      uploadId = init.UploadId;
      localStorage.setItem(checkpointKey(p), uploadId);
    }
    const id: string = uploadId;
    for (const n of done.keys()) progress(partBytes(n));
    const todo = Array.from({ length: count }, (_, i) => i + 1).filter((n) => !done.has(n));
    const worker = async () => {
      for (let n = todo.shift(); n !== undefined; n = todo.shift()) {
        await waitWhilePaused();
        const start = (n - 1) * partSize;
        const r = await client.uploadPart({
          Bucket: p.Bucket,
          Key: p.Key,
          UploadId: id,
          PartNumber: n,
          Body: p.file.slice(start, start + partBytes(n)),
          onUploadProgress: progress,
          signal: abort.signal,
        });
        done.set(n, r.ETag);
      }
    };
    await Promise.all(Array.from({ length: PARTS_AT_ONCE }, worker));
    await client.completeMultipartUpload({
      Bucket: p.Bucket,
      Key: p.Key,
      UploadId: id,
      MultipartUpload: {
        Part: [...done.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([PartNumber, ETag]) => ({ PartNumber, ETag })),
      },
      signal: abort.signal,
    });
    localStorage.removeItem(checkpointKey(p));
  };

  // A cancelled multipart upload is aborted on the server too, so its parts do not linger.
  const done = run().catch(async (err: unknown) => {
    if (abort.signal.aborted && uploadId) {
      localStorage.removeItem(checkpointKey(p));
      await client
        .abortMultipartUpload({ Bucket: p.Bucket, Key: p.Key, UploadId: uploadId })
        .catch(() => undefined);
    }
    throw err;
  });
  return {
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      wakeAll();
    },
    cancel() {
      abort.abort();
      wakeAll();
    },
    done,
  };
}
