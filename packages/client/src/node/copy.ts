/**
 * `copy`: the COS Python SDK's advanced `copy()`, a server-side copy of any size. The source is
 * HEADed once (size, ETag, CRC-64, headers); up to `MultipartThreshold` (default 5 GiB, the most
 * PUT Object - Copy takes) it is one PUT Object - Copy; above it a multipart upload whose parts are
 * Upload Part - Copy of `PartSize` byte ranges, `MAXThread` in flight on the one worker pool, each
 * pinned to the source's ETag (`x-cos-copy-source-If-Match`: a source replaced meanwhile fails
 * with COS_OBJECT_CHANGED instead of mixing two versions). Every copied part is checkpointed, so an
 * interrupted copy resumes from its checkpoint; the parts' CRC-64s, combined, are checked against
 * the source's and the completed object's. No byte passes through this process: memory is the
 * checkpoint only.
 */
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { LIMITS } from '@coskit/protocol';
import { CosClientError, invalidArgument } from '../errors.js';
import { checkSseCustomerKeys, type SseCustomerKeyParams, sseCustomerOf } from '../operations/common.js';
import type { CopyObjectParams } from '../operations/object-copy.js';
import type { HeadObjectResult } from '../operations/object-read.js';
import { checkWholeCrc64, combineCrc64 } from '../transfer/crc-parts.js';
import { initiate, objectIs } from '../transfer/multipart-upload.js';
import { partsToSend, planParts } from '../transfer/part-plan.js';
import { runPool } from '../transfer/pool.js';
import { ProgressTracker } from '../transfer/progress.js';
import type { TransferClient } from '../transfer/transfer-client.js';
import {
  type ObjectHeaderParams,
  pickObjectHeaders,
  type TransferBaseOptions,
  UPLOAD_DEFAULTS,
} from '../transfer/transfer-options.js';
import { listAllParts } from '../transfer/upload-resume.js';
import { type CopySource, copySourceHeader, transferOptions } from '../validation.js';
import {
  type CheckpointPart,
  CheckpointWriter,
  type CopyCheckpoint,
  checkpointPath,
  defaultCheckpointDir,
  loadCopyCheckpoint,
  removeCheckpoint,
} from './checkpoint.js';

const MiB = 1024 * 1024;

export interface CopyParams
  extends Omit<TransferBaseOptions, 'TrafficLimit' | 'EnableCRC'>,
    Omit<ObjectHeaderParams, 'TrafficLimit'> {
  /** Target bucket. */
  Bucket: string;
  /** Target key. */
  Key: string;
  /** The source: `{ Bucket, Region, Key, VersionId? }`, as the Python SDK's `CopySource` dict. */
  CopySource: CopySource;
  /**
   * The SSE-C key of an SSE-C source (base64 of 32 bytes; algorithm and MD5 filled in): it goes
   * to the source's HEAD and, as `x-cos-copy-source-server-side-encryption-customer-*`, to the
   * PUT Object - Copy or every Upload Part - Copy. The target's encryption is this call's own
   * `ServerSideEncryption` (SSE-COS) or `SSECustomerKey` (SSE-C): it is never inherited.
   */
  CopySourceSSECustomerKey?: string;
  /** `AES256`, the only algorithm; filled in when `CopySourceSSECustomerKey` is given. */
  CopySourceSSECustomerAlgorithm?: string;
  /** Base64 MD5 of the source key; computed when omitted, checked when given. */
  CopySourceSSECustomerKeyMD5?: string;
  /**
   * `Copy` (default): the target keeps the source's Content-Type, Cache-Control,
   * Content-Disposition, Content-Encoding, Content-Language, Expires and `x-cos-meta-*` (for a
   * multipart copy they are read from the source's HEAD and given to Initiate); this call's header
   * parameters of those kinds are ignored. `Replaced`: the target gets this call's instead.
   * Storage class, ACL, tags and encryption are never inherited: give them here.
   */
  CopyStatus?: 'Copy' | 'Replaced';
  /**
   * Sources of at most this many bytes go as one PUT Object - Copy. Default and maximum 5 GiB
   * (PUT Object - Copy's limit); smaller values are for tests and for copies that should resume.
   */
  MultipartThreshold?: number;
  /** Folder of checkpoint files. Default `~/.coskit/checkpoints`. */
  CheckpointDir?: string;
  /**
   * Check the parts' CRC-64s (combined) against the source's and the completed object's; and the
   * one PUT Object - Copy's against the source's. Default true.
   */
  EnableCRC?: boolean;
}

export interface CopyResult {
  Bucket: string;
  Key: string;
  ETag: string;
  /** CRC-64 of the target (decimal), already compared with the source's. */
  'x-cos-hash-crc64ecma'?: string | undefined;
  /** Present for a multipart copy. */
  UploadId?: string;
  /** Bytes of the object. */
  size: number;
  /** Parts this call copied (0 for one PUT Object - Copy); the rest came from the checkpoint. */
  partsCopied: number;
  /** Bytes this call had the server copy. */
  bytesCopied: number;
  /** True when parts of an interrupted earlier call were kept. */
  resumed: boolean;
}

/** The source's headers a `Copy` directive carries to Initiate (PUT Object - Copy does it itself). */
const INHERITED_HEADERS: [keyof ObjectHeaderParams, string][] = [
  ['ContentType', 'content-type'],
  ['CacheControl', 'cache-control'],
  ['ContentDisposition', 'content-disposition'],
  ['ContentEncoding', 'content-encoding'],
  ['ContentLanguage', 'content-language'],
  ['Expires', 'expires'],
];

/** Copies `CopySource` to `Bucket`/`Key` (see the module comment). `host` keys the checkpoint. */
export async function copy(client: TransferClient, host: string, params: CopyParams): Promise<CopyResult> {
  params = transferOptions(params);
  const source = copySourceHeader(params.CopySource);
  checkSseCustomerKeys(params as unknown as Record<string, unknown>);
  const directive = params.CopyStatus ?? 'Copy';
  if (directive !== 'Copy' && directive !== 'Replaced') {
    throw invalidArgument(`CopyStatus must be "Copy" or "Replaced"; got "${String(directive)}".`);
  }
  const threshold = params.MultipartThreshold ?? LIMITS.maxCopyObjectSize;
  if (!Number.isSafeInteger(threshold) || threshold < 0 || threshold > LIMITS.maxCopyObjectSize) {
    throw invalidArgument(
      `MultipartThreshold must be a number of bytes from 0 to ${LIMITS.maxCopyObjectSize} (5 GiB, the most one PUT Object - Copy takes); got ${threshold}.`,
    );
  }
  const call = params.signal ? { signal: params.signal } : {};
  // The signal fans out to every part request: many listeners are expected.
  if (params.signal) setMaxListeners(0, params.signal);
  const src = params.CopySource;
  const sourceKey = sourceCustomerKeyOf(params);
  const head = await client.headObject({
    Bucket: src.Bucket,
    Key: src.Key,
    ...(src.VersionId !== undefined ? { VersionId: src.VersionId } : {}),
    ...sourceKey,
    ...call,
  });
  const size = head['Content-Length'];
  const progress = new ProgressTracker(
    size,
    params.onProgress,
    params.ProgressInterval ?? UPLOAD_DEFAULTS.progressIntervalMs,
  );
  const target = { Bucket: params.Bucket, Key: params.Key };
  const checkCrc = params.EnableCRC ?? true;
  if (size <= threshold) {
    const r = await client.copyObject({
      ...pickObjectHeaders(params),
      ...target,
      CopySource: src,
      CopyStatus: directive,
      CopySourceIfMatch: head.ETag,
      ...copySourceKeyParams(sourceKey),
      ...call,
    } as CopyObjectParams);
    const crc = r['x-cos-hash-crc64ecma'] ?? r.CRC64;
    if (checkCrc) checkWholeCrc64(head['x-cos-hash-crc64ecma'], crc, `the copy of ${src.Key}`);
    progress.finish();
    return {
      ...target,
      ETag: r.ETag,
      'x-cos-hash-crc64ecma': crc,
      size,
      partsCopied: 0,
      bytesCopied: size,
      resumed: false,
    };
  }
  return copyMultipart(client, host, params, {
    source,
    head,
    directive,
    progress,
    checkCrc,
    call,
    sourceKey,
  });
}

/** The source's SSE-C key as the SSE-C fields of a request to the source itself (its HEAD). */
function sourceCustomerKeyOf(params: CopyParams): SseCustomerKeyParams {
  return sseCustomerOf({
    SSECustomerKey: params.CopySourceSSECustomerKey,
    SSECustomerAlgorithm: params.CopySourceSSECustomerAlgorithm,
    SSECustomerKeyMD5: params.CopySourceSSECustomerKeyMD5,
  });
}

/** The source's SSE-C key as the `CopySourceSSECustomer*` fields of a copy request. */
function copySourceKeyParams(key: SseCustomerKeyParams) {
  return {
    ...(key.SSECustomerKey !== undefined ? { CopySourceSSECustomerKey: key.SSECustomerKey } : {}),
    ...(key.SSECustomerAlgorithm !== undefined
      ? { CopySourceSSECustomerAlgorithm: key.SSECustomerAlgorithm }
      : {}),
    ...(key.SSECustomerKeyMD5 !== undefined ? { CopySourceSSECustomerKeyMD5: key.SSECustomerKeyMD5 } : {}),
  };
}

/**
 * What the checkpoint of a multipart copy is keyed by beside the target and source: the target's
 * encryption (an upload initiated for SSE-COS or one SSE-C key cannot take parts for another).
 * Only the key's MD5 is used, never the key.
 */
function targetEncryptionOf(params: CopyParams): string {
  if (params.SSECustomerKey !== undefined) {
    const md5 = createHash('md5').update(Buffer.from(params.SSECustomerKey, 'base64')).digest('base64');
    return `SSE-C:${md5}`;
  }
  return params.ServerSideEncryption !== undefined ? `SSE:${params.ServerSideEncryption}` : '';
}

interface MultipartCopyState {
  readonly source: string;
  readonly head: HeadObjectResult;
  readonly directive: 'Copy' | 'Replaced';
  readonly progress: ProgressTracker;
  readonly checkCrc: boolean;
  readonly call: { signal?: AbortSignal };
  /** The source's SSE-C key (as SSE-C fields), empty for a source that is not SSE-C. */
  readonly sourceKey: SseCustomerKeyParams;
}

async function copyMultipart(
  client: TransferClient,
  host: string,
  params: CopyParams,
  state: MultipartCopyState,
): Promise<CopyResult> {
  const { head, progress, call } = state;
  const target = { Bucket: params.Bucket, Key: params.Key };
  // An SSE-C target: every part request repeats the key Initiate was given (Complete takes none).
  const targetKey = sseCustomerOf(params);
  const size = head['Content-Length'];
  const plan = planParts(size, (params.PartSize ?? UPLOAD_DEFAULTS.partSizeMiB) * MiB);
  const cpPath = checkpointPath(
    params.CheckpointDir ?? defaultCheckpointDir(),
    'copy',
    host,
    params.Bucket,
    params.Key,
    // An unencrypted target keeps the key it always had (checkpoints of earlier versions still resume).
    targetEncryptionOf(params) === '' ? state.source : `${state.source}\n${targetEncryptionOf(params)}`,
  );

  // Where do we stand? A checkpoint of this source version whose upload still has its parts.
  let uploadId: string | undefined;
  const done = new Map<number, CheckpointPart>();
  const checkpoint = await loadCopyCheckpoint(cpPath);
  if (checkpoint) {
    const same =
      checkpoint.sourceEtag === head.ETag &&
      checkpoint.size === size &&
      checkpoint.partSize === plan.partSize;
    const listed = same ? await listAllParts(client, target, checkpoint.uploadId, call) : undefined;
    if (listed) {
      uploadId = checkpoint.uploadId;
      const onServer = new Map(listed.map((p) => [p.PartNumber, p]));
      for (const [n, p] of Object.entries(checkpoint.parts)) {
        const there = onServer.get(Number(n));
        if (there && there.ETag === p.etag && there.Size === p.size) done.set(Number(n), p);
      }
    } else {
      // Another source version, or the upload is gone: its parts are worthless.
      if (!same)
        await client
          .abortMultipartUpload({ ...target, UploadId: checkpoint.uploadId, ...call })
          .catch(() => {});
      await removeCheckpoint(cpPath);
    }
  }
  const resumed = done.size > 0;
  uploadId ??= await initiate(client, target, initiateHeaders(params, state), call);
  const id = uploadId;
  const writer = new CheckpointWriter<CopyCheckpoint>(cpPath);
  const snapshot = (): CopyCheckpoint => ({
    version: 1,
    kind: 'copy',
    host,
    bucket: params.Bucket,
    key: params.Key,
    partSize: plan.partSize,
    source: state.source,
    sourceEtag: head.ETag,
    size,
    uploadId: id,
    partCount: plan.partCount,
    parts: Object.fromEntries([...done].map(([n, p]) => [String(n), p])),
  });
  await writer.save(snapshot());
  for (const p of done.values()) progress.alreadyDone(p.size);

  let partsCopied = 0;
  let bytesCopied = 0;
  await runPool(
    partsToSend(plan, (n) => done.has(n)),
    {
      workers: Math.min(params.MAXThread ?? UPLOAD_DEFAULTS.maxThread, plan.partCount),
      signal: params.signal,
    },
    async (part) => {
      const length = part.end - part.start;
      let r: Awaited<ReturnType<TransferClient['uploadPartCopy']>>;
      try {
        r = await client.uploadPartCopy({
          ...target,
          UploadId: id,
          PartNumber: part.partNumber,
          CopySource: params.CopySource,
          CopySourceRange: `bytes=${part.start}-${part.end - 1}`,
          CopySourceIfMatch: head.ETag,
          // The source's key to read it, the target upload's key to write the part.
          ...copySourceKeyParams(state.sourceKey),
          ...targetKey,
          ...call,
        });
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 412) {
          throw new CosClientError(
            'COS_OBJECT_CHANGED',
            `the copy source ${params.CopySource.Key} changed during the copy (412 on x-cos-copy-source-If-Match); run again to copy the new version`,
            { cause: err, UploadId: id },
          );
        }
        throw new CosClientError(
          (err as { code?: string }).code === 'COS_ABORTED' ? 'COS_ABORTED' : 'COS_PART_FAILED',
          `part ${part.partNumber} of the copy failed after its retries: ${err instanceof Error ? err.message : String(err)} (UploadId ${id}; run again to resume)`,
          { cause: err, UploadId: id, PartNumber: part.partNumber },
        );
      }
      done.set(part.partNumber, { etag: r.ETag, crc64: r['x-cos-hash-crc64ecma'] ?? '', size: length });
      partsCopied++;
      bytesCopied += length;
      progress.sent(length);
      await writer.save(snapshot());
    },
  );

  const ordered = [...done].sort((a, b) => a[0] - b[0]);
  // A server that gives no CRC-64 per part leaves nothing to combine.
  const combined = ordered.every(([, p]) => p.crc64 !== '')
    ? combineCrc64(ordered.map(([, p]) => p))
    : undefined;
  if (state.checkCrc)
    checkWholeCrc64(combined, head['x-cos-hash-crc64ecma'], `the copied parts of ${params.CopySource.Key}`, {
      UploadId: id,
    });
  let result: { ETag: string; 'x-cos-hash-crc64ecma'?: string | undefined };
  try {
    result = await client.completeMultipartUpload({
      ...target,
      UploadId: id,
      MultipartUpload: { Part: ordered.map(([PartNumber, p]) => ({ PartNumber, ETag: p.etag })) },
      ...(params.ForbidOverwrite !== undefined ? { ForbidOverwrite: params.ForbidOverwrite } : {}),
      ...call,
    });
  } catch (err) {
    // A Complete whose answer was lost finds its upload gone: it worked when the object is the source's bytes.
    if ((err as { errorCode?: string }).errorCode !== 'NoSuchUpload') throw err;
    const whole = await objectIs(
      client,
      { ...target, ...targetKey },
      size,
      combined ?? head['x-cos-hash-crc64ecma'],
      call,
    );
    if (!whole) throw err;
    result = whole;
  }
  await removeCheckpoint(cpPath);
  if (state.checkCrc)
    checkWholeCrc64(combined, result['x-cos-hash-crc64ecma'], 'the completed copy', { UploadId: id });
  progress.finish();
  return {
    ...target,
    ETag: result.ETag,
    'x-cos-hash-crc64ecma': result['x-cos-hash-crc64ecma'] ?? combined,
    UploadId: id,
    size,
    partsCopied,
    bytesCopied,
    resumed,
  };
}

/**
 * Initiate's headers: the call's (storage class, ACL, tags, no-overwrite, encryption — never
 * inherited); with `Copy`, the source's content headers and metadata in place of the call's.
 */
function initiateHeaders(
  params: CopyParams,
  state: MultipartCopyState,
): Omit<ObjectHeaderParams, 'TrafficLimit'> {
  const headers: Record<string, unknown> = { ...pickObjectHeaders(params) };
  if (state.directive === 'Replaced') return headers;
  for (const [name] of INHERITED_HEADERS) delete headers[name];
  delete headers['Metadata'];
  for (const [name, header] of INHERITED_HEADERS) {
    const value = state.head.headers[header];
    if (value !== undefined) headers[name] = value;
  }
  if (Object.keys(state.head.Metadata).length > 0) headers['Metadata'] = { ...state.head.Metadata };
  return headers;
}
