/**
 * `uploadStream`: a body of unknown length (the Python SDK's `upload_file_from_buffer`). If it
 * ends within the first part it goes as one PUT Object; otherwise as a multipart upload whose parts
 * are cut from the stream into a pool of `MAXThread + 1` part buffers. The stream is read only when
 * a buffer is free, so backpressure reaches the source and memory stays at `PartSize × (MAXThread + 1)`.
 * A stream cannot be re-read, so a failed upload is aborted (nothing half-done is left behind).
 */
import { LIMITS } from '@coskit/protocol';
import { byteChunks } from '../body.js';
import { CosClientError } from '../errors.js';
import { sseCustomerOf } from '../operations/common.js';
import { transferOptions } from '../validation.js';
import { checkWholeCrc64, combineCrc64, crc64Of } from './crc-parts.js';
import { runPool } from './pool.js';
import type { TransferClient } from './transfer-client.js';
import { pickObjectHeaders, type TransferOptions, UPLOAD_DEFAULTS } from './transfer-options.js';

const MiB = 1024 * 1024;

export interface UploadStreamParams extends TransferOptions {
  Bucket: string;
  Key: string;
  /** A Node `Readable`, a web `ReadableStream` (Safari's too, which is not async-iterable) or any async iterable of bytes. */
  Body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;
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
  take: () => Promise<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  let current: Uint8Array | undefined;
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
  params = transferOptions(params);
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
  const counted = async function* (
    source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
  ): AsyncGenerator<Uint8Array> {
    for await (const chunk of byteChunks(source)) {
      consumed += chunk.byteLength;
      const now = performance.now();
      if (onProgress && now - lastReport >= interval) {
        lastReport = now;
        onProgress(consumed, 0);
      }
      yield chunk;
    }
  };

  const free: Uint8Array[] = [];
  const waiting: ((b: Uint8Array) => void)[] = [];
  let allocated = 0;
  const take = async (): Promise<Uint8Array> => {
    const b = free.pop();
    if (b) return b;
    if (allocated < threads + 1) {
      allocated++;
      return new Uint8Array(partSize);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const give = (b: Uint8Array) => {
    const w = waiting.shift();
    if (w) w(b);
    else free.push(b);
  };

  const parts = cutParts(counted(Body), partSize, take);
  const first = await parts.next();
  const firstBody = first.done ? new Uint8Array(0) : first.value;
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
  const done: { PartNumber: number; ETag: string; crc64: string; size: number }[] = [];
  /** The parts in order, numbered; the two already read come first. */
  const numbered = async function* (): AsyncGenerator<{ n: number; body: Uint8Array }> {
    yield { n: 1, body: firstBody };
    yield { n: 2, body: second.value };
    for (let n = 3; ; n++) {
      const item = await parts.next();
      if (item.done) return;
      if (n > LIMITS.maxPartNumber) {
        throw new CosClientError(
          'COS_INVALID_ARGUMENT',
          `the stream needs more than ${LIMITS.maxPartNumber} parts of ${partSize} bytes: raise PartSize`,
          { UploadId },
        );
      }
      yield { n, body: item.value };
    }
  };
  const send = async ({ n, body }: { n: number; body: Uint8Array }) => {
    try {
      const crc64 = crc64Of(body);
      const r = await client.uploadPart({
        ...target,
        UploadId,
        PartNumber: n,
        Body: body,
        Crc64: crc64,
        ...sseCustomerOf(params),
        ...(EnableMD5 ? { EnableMD5 } : {}),
        ...(TrafficLimit !== undefined ? { TrafficLimit } : {}),
        ...call,
      });
      const serverCrc = r['x-cos-hash-crc64ecma'];
      if ((EnableCRC ?? true) && serverCrc !== undefined && serverCrc !== crc64) {
        throw new CosClientError(
          'COS_CHECKSUM_MISMATCH',
          `part ${n}: server CRC-64 ${serverCrc}, local ${crc64}`,
          {
            UploadId,
          },
        );
      }
      done.push({ PartNumber: n, ETag: r.ETag, crc64, size: body.length });
    } finally {
      // Every part but the last is a whole pool buffer; the last one is never needed again.
      if (body.length === partSize) give(body);
    }
  };
  try {
    // A stream cannot be re-read: a part that fails fails the upload (after the transport's retries).
    await runPool(numbered(), { workers: threads, signal: params.signal }, send);
    done.sort((a, b) => a.PartNumber - b.PartNumber);
    const size = done.reduce((sum, p) => sum + p.size, 0);
    const r = await client.completeMultipartUpload({
      ...target,
      UploadId,
      MultipartUpload: { Part: done.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) },
      ...call,
    });
    if (EnableCRC ?? true) {
      checkWholeCrc64(combineCrc64(done), r['x-cos-hash-crc64ecma'], 'the completed object', { UploadId });
    }
    onProgress?.(size, size);
    return { ...r, UploadId, size };
  } catch (err) {
    await client.abortMultipartUpload({ ...target, UploadId }).catch(() => {});
    throw err;
  }
}
