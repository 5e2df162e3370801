/**
 * The S3 dialect's `x-amz-checksum-*`, read and answered in one place:
 *
 * - PUT Object stores the checksum its body was verified against while it streamed (sigv4-verifier.ts),
 *   so a stored checksum is always the object's;
 * - CreateMultipartUpload picks the upload's algorithm and type (`x-amz-checksum-algorithm`,
 *   `x-amz-checksum-type`), Upload Part / Upload Part - Copy keep each part's checksum (verified, or
 *   computed here as the bytes pass when the part carries none and the type is FULL_OBJECT), and
 *   Complete makes the object's from them (store/multipart-checksums.ts);
 * - GET/HEAD answer it when the client asks (`x-amz-checksum-mode: ENABLED`), with its type.
 *
 * The object's checksum is kept in internal stored headers (store/object-checksum.ts). COS-dialect
 * requests neither set nor get checksums: `x-amz-*` is S3's, and q-sign does not verify a body checksum.
 */
import { Readable } from 'node:stream';
import {
  AWS_CHECKSUM_ALGORITHMS,
  type AwsChecksumAlgorithm,
  type AwsChecksumType,
  checksumHeaderName,
  checksumTypesOf,
  createAwsChecksum,
  defaultChecksumType,
  parseChecksumAlgorithm,
  parseChecksumType,
} from '@coskit/protocol';
import { checksumHeaders, type ObjectChecksum, objectChecksumOf } from '../store/object-checksum.js';
import type {
  ByteRange,
  ChecksumValue,
  CompleteChecksum,
  ObjectInfo,
  OpenedObject,
  PartInfo,
  StoredHeaders,
  UploadChecksum,
  UploadInfo,
} from '../store/store.js';
import { CosHttpError } from './cos-http-error.js';
import type { RequestContext } from './request-context.js';

/** For `IncomingBody.headersAtEnd`: the verified checksum as stored headers (none without one). */
export function checksumHeadersAtEnd(ctx: RequestContext): (() => StoredHeaders) | undefined {
  const verified = ctx.body.verifiedChecksum;
  if (!verified) return undefined;
  return () =>
    verified.value === undefined
      ? {}
      : checksumHeaders({ algorithm: verified.algorithm, value: verified.value, type: 'FULL_OBJECT' });
}

/** `x-amz-checksum-<algorithm>` and `x-amz-checksum-type` for `checksum`. */
function headersOf(checksum: ObjectChecksum): Record<string, string> {
  return { [checksumHeaderName(checksum.algorithm)]: checksum.value, 'x-amz-checksum-type': checksum.type };
}

/**
 * The checksum headers of a response that carries the whole object, when the request says
 * `x-amz-checksum-mode: ENABLED`: `x-amz-checksum-<algorithm>` and `x-amz-checksum-type`.
 */
export function checksumResponseHeaders(ctx: RequestContext, record: ObjectInfo): Record<string, string> {
  if (ctx.header('x-amz-checksum-mode')?.trim().toUpperCase() !== 'ENABLED') return {};
  const checksum = objectChecksumOf(record.headers);
  return checksum ? headersOf(checksum) : {};
}

/** The verified checksum echoed by PUT Object, as S3 answers it (none without one). */
export function verifiedChecksumHeaders(ctx: RequestContext): Record<string, string> {
  const verified = ctx.body.verifiedChecksum;
  if (verified?.value === undefined) return {};
  return { [checksumHeaderName(verified.algorithm)]: verified.value };
}

/** A part's checksum header, as Upload Part answers it (none without one). */
export function partChecksumHeaders(part: PartInfo): Record<string, string> {
  return part.checksum ? { [checksumHeaderName(part.checksum.algorithm)]: part.checksum.value } : {};
}

/** The wire name of an algorithm: `CRC32`, `CRC64NVME`, … */
export const algorithmName = (algorithm: AwsChecksumAlgorithm): string => algorithm.toUpperCase();

/**
 * CreateMultipartUpload's `x-amz-checksum-algorithm` and `x-amz-checksum-type` (S3 dialect only), the
 * type defaulting as S3's does (FULL_OBJECT for CRC64NVME, else COMPOSITE).
 * @throws CosHttpError InvalidRequest for an unknown algorithm or type, a type without an algorithm,
 *   or a pair S3 does not allow (SHA with FULL_OBJECT, CRC64NVME with COMPOSITE).
 */
export function uploadChecksumOf(ctx: RequestContext): UploadChecksum | undefined {
  if (ctx.dialect !== 's3') return undefined;
  const rawAlgorithm = ctx.header('x-amz-checksum-algorithm');
  const rawType = ctx.header('x-amz-checksum-type');
  if (rawAlgorithm === undefined) {
    if (rawType === undefined) return undefined;
    throw new CosHttpError(
      'InvalidRequest',
      'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
    );
  }
  const algorithm = parseChecksumAlgorithm(rawAlgorithm);
  if (algorithm === undefined) {
    throw new CosHttpError(
      'InvalidRequest',
      `Checksum algorithm provided is unsupported. Please try again with any of the valid types: [${AWS_CHECKSUM_ALGORITHMS.map(algorithmName).join(', ')}]`,
    );
  }
  if (rawType === undefined) return { algorithm, type: defaultChecksumType(algorithm) };
  const type = parseChecksumType(rawType);
  if (type === undefined) {
    throw new CosHttpError('InvalidRequest', 'Value for x-amz-checksum-type header is invalid.');
  }
  if (!checksumTypesOf(algorithm).includes(type)) {
    throw new CosHttpError(
      'InvalidRequest',
      `The ${type} checksum type cannot be used with the ${algorithm} checksum algorithm.`,
    );
  }
  return { algorithm, type };
}

/** CreateMultipartUpload's answer headers for an upload with a checksum. */
export function uploadChecksumHeaders(upload: UploadInfo | undefined): Record<string, string> {
  if (!upload?.checksum) return {};
  return {
    'x-amz-checksum-algorithm': algorithmName(upload.checksum.algorithm),
    'x-amz-checksum-type': upload.checksum.type,
  };
}

/** Yields `stream` unchanged, feeding `algorithm` over it; `done` gets the base64 value at the end. */
async function* checksummed(
  stream: AsyncIterable<Uint8Array>,
  algorithm: AwsChecksumAlgorithm,
  done: (value: string) => void,
): AsyncGenerator<Uint8Array> {
  const checksum = createAwsChecksum(algorithm)!;
  for await (const chunk of stream) {
    checksum.update(chunk);
    yield chunk;
  }
  done(checksum.base64());
}

/** The base64 `algorithm` checksum of everything `stream` yields (one checksum state in memory). */
export async function checksumOfStream(
  stream: AsyncIterable<Uint8Array>,
  algorithm: AwsChecksumAlgorithm,
): Promise<string> {
  const checksum = createAwsChecksum(algorithm)!;
  for await (const chunk of stream) checksum.update(chunk);
  return checksum.base64();
}

/**
 * How Upload Part's body becomes a part checksum: the verified one it declares (header or trailer),
 * or — for a FULL_OBJECT upload, where S3 computes what the client left out — one computed over the
 * body as it streams (`stream` is then the wrapped body). An upload without a checksum keeps
 * whatever the part declared (ListParts shows it).
 * @throws CosHttpError InvalidRequest, before any byte is read, when the part's algorithm is not the
 *   upload's, or a COMPOSITE upload's part declares none.
 */
export function partChecksum(
  ctx: RequestContext,
  upload: UploadInfo,
  stream: AsyncIterable<Uint8Array>,
): { stream: AsyncIterable<Uint8Array>; checksumAtEnd?: () => ChecksumValue | undefined } {
  const verified = ctx.body.verifiedChecksum;
  const wanted = upload.checksum;
  if (wanted && verified?.algorithm !== wanted.algorithm && (verified || wanted.type === 'COMPOSITE')) {
    throw new CosHttpError(
      'InvalidRequest',
      `Checksum Type mismatch occurred, expected checksum Type: ${wanted.algorithm}, actual checksum Type: ${verified?.algorithm ?? 'null'}`,
    );
  }
  if (verified) {
    return {
      stream,
      checksumAtEnd: () =>
        verified.value === undefined ? undefined : { algorithm: verified.algorithm, value: verified.value },
    };
  }
  if (!wanted) return { stream };
  return computedChecksum(stream, wanted.algorithm);
}

/** A checksum of `algorithm` computed over `stream` as it is read. */
function computedChecksum(
  stream: AsyncIterable<Uint8Array>,
  algorithm: AwsChecksumAlgorithm,
): { stream: AsyncIterable<Uint8Array>; checksumAtEnd: () => ChecksumValue | undefined } {
  let value: string | undefined;
  return {
    stream: checksummed(stream, algorithm, (v) => {
      value = v;
    }),
    checksumAtEnd: () => (value === undefined ? undefined : { algorithm, value }),
  };
}

/**
 * Upload Part - Copy into an upload with a checksum: the source opened so that reading it computes
 * the part's checksum (S3 computes it for a copied part), and the `checksumAtEnd` giving it.
 */
export function checksummedSource(
  source: OpenedObject,
  upload: UploadInfo,
): { source: OpenedObject; checksumAtEnd?: () => ChecksumValue | undefined } {
  const wanted = upload.checksum;
  if (!wanted) return { source };
  let atEnd: (() => ChecksumValue | undefined) | undefined;
  const read = (range?: ByteRange): Readable => {
    const computed = computedChecksum(source.read(range), wanted.algorithm);
    atEnd = computed.checksumAtEnd;
    return Readable.from(computed.stream, { objectMode: false });
  };
  const wrapped: OpenedObject = {
    info: source.info,
    close: () => source.close(),
    read,
    readAll: async (range) => {
      const chunks: Buffer[] = [];
      for await (const chunk of read(range)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
  return { source: wrapped, checksumAtEnd: () => atEnd?.() };
}

/**
 * What CompleteMultipartUpload says of the object's checksum: at most one `x-amz-checksum-<algorithm>`
 * (InvalidRequest for several) and `x-amz-checksum-type` (InvalidRequest for another word). S3 only.
 */
export function completeChecksumOf(ctx: RequestContext): CompleteChecksum | undefined {
  if (ctx.dialect !== 's3') return undefined;
  const given = AWS_CHECKSUM_ALGORITHMS.flatMap((algorithm) => {
    const value = ctx.header(checksumHeaderName(algorithm))?.trim();
    return value === undefined ? [] : [{ algorithm, value }];
  });
  if (given.length > 1) {
    throw new CosHttpError(
      'InvalidRequest',
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  const rawType = ctx.header('x-amz-checksum-type');
  let type: AwsChecksumType | undefined;
  if (rawType !== undefined) {
    type = parseChecksumType(rawType);
    if (type === undefined) {
      throw new CosHttpError('InvalidRequest', 'Value for x-amz-checksum-type header is invalid.');
    }
  }
  if (given.length === 0 && type === undefined) return undefined;
  return { expected: given[0], type };
}

/** The object checksum of Complete's answer: the `<Checksum…>` and `<ChecksumType>` elements. */
export function checksumElements(record: ObjectInfo): {
  Checksums?: Partial<Record<AwsChecksumAlgorithm, string>>;
  ChecksumType?: string;
} {
  const checksum = objectChecksumOf(record.headers);
  if (!checksum) return {};
  return { Checksums: { [checksum.algorithm]: checksum.value }, ChecksumType: checksum.type };
}
