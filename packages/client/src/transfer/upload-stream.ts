/**
 * `uploadStream`: a body of unknown length (the Python SDK's `upload_file_from_buffer`). If it
 * ends within the first part it goes as one PUT Object; otherwise as a multipart upload whose parts
 * are cut from the stream into a pool of `MAXThread + 1` part buffers. The stream is read only when
 * a buffer is free, so backpressure reaches the source and memory stays at `PartSize × (MAXThread + 1)`.
 * A stream cannot be re-read, so a failed upload is aborted (nothing half-done is left behind).
 */
import type { Readable } from 'node:stream';
import { crc64Combine, crc64ToDecimal, LIMITS, parseCrc64Decimal } from '@coskit/protocol';
import { crc64Of } from './file-slice.js';
import { Semaphore } from './semaphore.js';
import type { TransferClient } from './transfer-client.js';
import { transferError, validateTransferOptions } from './transfer-errors.js';
import { pickObjectHeaders, type TransferOptions, UPLOAD_DEFAULTS } from './upload-options.js';

const MiB = 1024 * 1024;

export interface UploadStreamParams extends TransferOptions {
  Bucket: string;
  Key: string;
  Body: Readable | AsyncIterable<Uint8Array>;
}

export interface UploadStreamResult {
  ETag: string;
  'x-cos-hash-crc64ecma'?: string | undefined;
  Bucket: string;
  Key: string;
  UploadId?: string;
  /** Bytes read from the stream and stored. */
  size: number;
}

/** Cuts an async byte source into buffers of exactly `size` bytes (the last may be shorter). */
async function* cutParts(
  source: AsyncIterable<Uint8Array>,
  size: number,
  take: () => Promise<Buffer>,
): AsyncGenerator<Buffer> {
  let current: Buffer | undefined;
  let filled = 0;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.byteLength) {
      current ??= await take();
      const n = Math.min(size - filled, chunk.byteLength - offset);
      current.set(chunk.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === size) {
        yield current;
        current = undefined;
        filled = 0;
      }
    }
  }
  if (current && filled > 0) yield current.subarray(0, filled);
}

export async function uploadStream(
  client: TransferClient,
  params: UploadStreamParams,
): Promise<UploadStreamResult> {
  validateTransferOptions(params);
  const partSize = (params.PartSize ?? UPLOAD_DEFAULTS.partSizeMiB) * MiB;
  const threads = params.MAXThread ?? UPLOAD_DEFAULTS.maxThread;
  const call = params.signal ? { signal: params.signal } : {};
  const target = { Bucket: params.Bucket, Key: params.Key };
  const { Body, onProgress, EnableMD5, EnableCRC, TrafficLimit } = params;
  const headers = pickObjectHeaders(params);
  // Progress counts bytes taken from the stream (monotonic, never re-counted by retries); the total
  // is unknown until the stream ends, so intermediate calls carry totalBytes = 0.
  let consumed = 0;
  let lastReport = 0;
  const interval = params.ProgressInterval ?? UPLOAD_DEFAULTS.progressIntervalMs;
  const counted = async function* (source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      consumed += chunk.byteLength;
      const now = performance.now();
      if (onProgress && now - lastReport >= interval) {
        lastReport = now;
        onProgress(consumed, 0);
      }
      yield chunk;
    }
  };

  const free: Buffer[] = [];
  const waiting: ((b: Buffer) => void)[] = [];
  let allocated = 0;
  const take = async (): Promise<Buffer> => {
    const b = free.pop();
    if (b) return b;
    if (allocated < threads + 1) {
      allocated++;
      return Buffer.allocUnsafe(partSize);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const give = (b: Buffer) => {
    const w = waiting.shift();
    if (w) w(b);
    else free.push(b);
  };

  const parts = cutParts(counted(Body as AsyncIterable<Uint8Array>), partSize, take);
  const first = await parts.next();
  const firstBody = first.done ? Buffer.alloc(0) : first.value;
  const second = first.done ? first : await parts.next();
  if (second.done) {
    const r = await client.putObject({
      ...target,
      Body: firstBody,
      ...headers,
      ...(EnableMD5 ? { EnableMD5 } : {}),
      ...(TrafficLimit !== undefined ? { TrafficLimit } : {}),
      ...call,
    });
    onProgress?.(firstBody.length, firstBody.length);
    return { ...r, ...target, size: firstBody.length };
  }

  const { UploadId } = await client.createMultipartUpload({ ...target, ...headers, ...call });
  const slots = new Semaphore(threads);
  const done: { PartNumber: number; ETag: string; crc64: string; size: number }[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let partNumber = 0;
  const send = async (body: Buffer, n: number, release: () => void) => {
    try {
      const local = { crc64: crc64Of(body) };
      const r = await client.uploadPart({
        ...target,
        UploadId,
        PartNumber: n,
        Body: body,
        Crc64: local.crc64,
        ...(EnableMD5 ? { EnableMD5 } : {}),
        ...(TrafficLimit !== undefined ? { TrafficLimit } : {}),
        ...call,
      });
      const serverCrc = r['x-cos-hash-crc64ecma'];
      if ((EnableCRC ?? true) && serverCrc !== undefined && serverCrc !== local.crc64) {
        throw transferError(
          'COS_CHECKSUM_MISMATCH',
          `part ${n}: server CRC-64 ${serverCrc}, local ${local.crc64}`,
          { UploadId },
        );
      }
      done.push({ PartNumber: n, ETag: r.ETag, crc64: local.crc64, size: body.length });
    } catch (err) {
      failure ??= err;
    } finally {
      release();
      // Every part but the last is a whole pool buffer; the last one is never needed again.
      if (body.length === partSize) give(body);
    }
  };
  try {
    const queue: IteratorResult<Buffer>[] = [first, second];
    for (;;) {
      const item = queue.shift() ?? (await parts.next());
      if (item.done || failure) break;
      partNumber++;
      if (partNumber > LIMITS.maxPartNumber) {
        throw transferError(
          'COS_INVALID_ARGUMENT',
          `the stream needs more than ${LIMITS.maxPartNumber} parts of ${partSize} bytes: raise PartSize`,
          { UploadId },
        );
      }
      const release = await slots.acquire();
      const task = send(item.value, partNumber, release);
      inFlight.add(task);
      void task.then(() => inFlight.delete(task));
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
    done.sort((a, b) => a.PartNumber - b.PartNumber);
    let combined = 0n;
    let size = 0;
    for (const p of done) {
      combined = crc64Combine(combined, parseCrc64Decimal(p.crc64) ?? 0n, p.size);
      size += p.size;
    }
    const r = await client.completeMultipartUpload({
      ...target,
      UploadId,
      MultipartUpload: { Part: done.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) },
      ...call,
    });
    const serverCrc = r['x-cos-hash-crc64ecma'];
    if ((EnableCRC ?? true) && serverCrc !== undefined && serverCrc !== crc64ToDecimal(combined)) {
      throw transferError(
        'COS_CHECKSUM_MISMATCH',
        `completed object CRC-64 ${serverCrc}, local ${crc64ToDecimal(combined)}`,
        { UploadId },
      );
    }
    onProgress?.(size, size);
    return { ...r, UploadId, size };
  } catch (err) {
    await Promise.allSettled(inFlight);
    await client.abortMultipartUpload({ ...target, UploadId }).catch(() => {});
    throw err;
  }
}
