/**
 * The source object of PUT Object - Copy and Upload Part - Copy, read from `x-cos-copy-source` (in the S3
 * dialect `x-amz-copy-source`, `<bucket>/<key>`) with the
 * protocol's one parser and bounded before any store lookup: the source names a bucket and a key like any
 * request does, so it meets the same rules with the same codes (KeyTooLong, InvalidBucketName, …);
 * its `versionId` is checked like a request's (`400 InvalidArgument` if it cannot name a version).
 */
import {
  type CopySourceRef,
  checkBucketName,
  checkObjectKey,
  LIMITS,
  parseCopySource,
  parseS3CopySource,
  REQUEST_HEADERS,
  utf8ByteLength,
} from '@coskit/protocol';
import { CosHttpError } from './cos-http-error.js';
import type { RequestContext } from './request-context.js';
import { checkedVersionId } from './version-id.js';

export function copySourceOf(ctx: RequestContext): CopySourceRef {
  const value = ctx.header(REQUEST_HEADERS.copySource) ?? '';
  // The S3 dialect's x-amz-copy-source is `<bucket>/<key>`; COS's host form is accepted there too.
  const source =
    parseCopySource(value) ?? (ctx.dialect === 's3' ? parseS3CopySource(value, ctx.region) : undefined);
  if (!source) {
    throw new CosHttpError(
      'InvalidCopySource',
      ctx.dialect === 's3'
        ? 'x-amz-copy-source must look like "<bucket>/<url-encoded key>[?versionId=<id>]".'
        : 'x-cos-copy-source must look like "<bucket>-<appid>.cos.<region>.myqcloud.com/<url-encoded key>[?versionId=<id>]".',
    );
  }
  const keyProblem = checkObjectKey(source.key);
  if (keyProblem) throw new CosHttpError(keyProblem.code, `Copy source: ${keyProblem.message}`);
  const bucketProblem = checkBucketName(source.bucket);
  if (bucketProblem) {
    // An S3 client knows nothing of COS's `<name>-<APPID>` rule: to it such a bucket just does not exist.
    if (ctx.dialect === 's3') {
      throw new CosHttpError('NoSuchBucket', `Source bucket ${source.bucket} does not exist.`);
    }
    throw new CosHttpError(bucketProblem.code, `Copy source: ${bucketProblem.message}`);
  }
  if (source.versionId !== undefined && utf8ByteLength(source.versionId) > LIMITS.maxUploadIdBytes) {
    throw new CosHttpError('NoSuchVersion');
  }
  return { ...source, versionId: checkedVersionId(source.versionId, 'x-cos-copy-source') };
}
