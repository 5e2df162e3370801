/**
 * `CosS3ClientCore`: every call of `CosS3Client` that needs no local file system — one method per
 * call of the COS upload page (camelCase names, the seed's parameter and response keys) and
 * `uploadStream`. Node's `CosS3Client` (node/client.ts) adds the calls that read or write local
 * files; the browser's (browser/client.ts) those that upload `File`s and `Blob`s. Every method validates its arguments before any I/O,
 * accepts `signal` and `Timeout`, and throws `CosClientError` or `CosServiceError` from the call
 * that failed.
 */
import type { CosConfig } from './config.js';
import * as bucket from './operations/bucket.js';
import * as cors from './operations/bucket-cors.js';
import * as versioning from './operations/bucket-versioning.js';
import type { CallOptions, HeaderResponse } from './operations/common.js';
import * as multipart from './operations/multipart.js';
import * as acl from './operations/object-acl.js';
import * as copy from './operations/object-copy.js';
import * as del from './operations/object-delete.js';
import * as deleteMultiple from './operations/object-delete-multiple.js';
import * as read from './operations/object-read.js';
import * as restore from './operations/object-restore.js';
import * as tagging from './operations/object-tagging.js';
import * as write from './operations/object-write.js';
import * as post from './operations/post-object.js';
import * as presign from './operations/presign.js';
import { type UploadStreamParams, type UploadStreamResult, uploadStream } from './transfer/upload-stream.js';
import { Transport } from './transport/request.js';
import type { Platform } from './transport/sender.js';

/** @typeParam TStream - The runtime's stream type of GET Object's `Body`. */
export class CosS3ClientCore<TStream = unknown> {
  readonly #transport: Transport;

  /** @param platform - How requests are sent and file slices read (node/platform.ts, browser/platform.ts). */
  constructor(
    readonly config: CosConfig,
    platform: Platform,
  ) {
    this.#transport = new Transport(config, platform);
  }

  /** The request pipeline, for the calls a subclass adds. */
  protected get transport(): Transport {
    return this.#transport;
  }

  /** `host[:port]` the client talks to; checkpoints are keyed by it. */
  get endpointId(): string {
    const c = this.config;
    return `${c.scheme}://${c.ip ? `${c.ip}:${c.port}` : (c.domain ?? c.endpointSuffix)}`;
  }

  /** Closes idle keep-alive sockets. */
  destroy(): void {
    this.#transport.destroy();
  }

  // Simple operations
  /** PUT Object: bytes, a string, or a stream (`ContentLength` avoids chunked encoding). */
  putObject(p: write.PutObjectParams): Promise<write.PutObjectResult> {
    return write.putObject(this.#transport, p);
  }
  /** APPEND Object at `Position`. */
  appendObject(p: write.AppendObjectParams): Promise<write.AppendObjectResult> {
    return write.appendObject(this.#transport, p);
  }
  /** HEAD Object: size, ETag, CRC-64, type, class and `x-cos-meta-*` (If-* conditions honoured; 304 is a CosServiceError `NotModified`). */
  headObject(p: read.HeadObjectParams): Promise<read.HeadObjectResult> {
    return read.headObject(this.#transport, p);
  }
  /** GET Object: the bytes as a stream in `Body` (Range, If-*, `Response*` overrides, TrafficLimit). Consume or destroy `Body`. */
  getObject(p: read.GetObjectParams): Promise<read.GetObjectResultOf<TStream>> {
    return read.getObject<TStream>(this.#transport, p);
  }
  /** DELETE Object (succeeds for a missing key, as COS does). */
  deleteObject(p: del.DeleteObjectParams): Promise<del.DeleteObjectResult> {
    return del.deleteObject(this.#transport, p);
  }

  // Buckets
  /** PUT Bucket (`ACL`, grants). */
  createBucket(p: bucket.CreateBucketParams): Promise<HeaderResponse> {
    return bucket.createBucket(this.#transport, p);
  }
  /** HEAD Bucket: resolves when the bucket exists and is readable. */
  headBucket(p: bucket.BucketParams): Promise<HeaderResponse> {
    return bucket.headBucket(this.#transport, p);
  }
  /** DELETE Bucket (it must be empty). */
  deleteBucket(p: bucket.BucketParams): Promise<HeaderResponse> {
    return bucket.deleteBucket(this.#transport, p);
  }
  /** One page of GET Bucket; follow `NextMarker` while `IsTruncated`. Keys arrive decoded. */
  listObjects(p: bucket.ListObjectsParams): Promise<bucket.ListObjectsResult> {
    return bucket.listObjects(this.#transport, p);
  }
  /** GET Service: every bucket. */
  listBuckets(p: CallOptions = {}): Promise<bucket.ListBucketsResult> {
    return bucket.listBuckets(this.#transport, p);
  }
  /** PUT Bucket cors: replaces the bucket's CORS rules (checked before sending). */
  putBucketCors(p: cors.PutBucketCorsParams): Promise<HeaderResponse> {
    return cors.putBucketCors(this.#transport, p);
  }
  /** GET Bucket cors: the bucket's rules (`NoSuchCORSConfiguration` when it has none). */
  getBucketCors(p: bucket.BucketParams): Promise<cors.GetBucketCorsResult> {
    return cors.getBucketCors(this.#transport, p);
  }
  /** POST Object: a form upload as a browser sends it (signed policy in the form, no Authorization). */
  postObject(p: post.PostObjectParams): Promise<post.PostObjectResult> {
    return post.postObject(this.#transport, p);
  }
  /** The URL and signed form fields a web page needs to POST a file (no request is made). */
  buildPostPolicy(p: post.PostPolicyParams): Promise<post.PostPolicyResult> {
    return post.buildPostPolicy(this.#transport, p);
  }
  /** DELETE Bucket cors: removes every rule. */
  deleteBucketCors(p: bucket.BucketParams): Promise<HeaderResponse> {
    return cors.deleteBucketCors(this.#transport, p);
  }

  // Multipart
  /** One page of List Multipart Uploads (by key, then upload id); follow `NextKeyMarker`/`NextUploadIdMarker`. */
  listMultipartUploads(p: multipart.ListMultipartUploadsParams) {
    return multipart.listMultipartUploads(this.#transport, p);
  }
  /**
   * Initiate Multipart Upload; the header parameters become the final object's metadata. Not
   * retried once it may have reached COS (a second run would create a second upload): on a lost
   * answer, look for it with `listMultipartUploads` (uploadFile does).
   */
  createMultipartUpload(
    p: multipart.CreateMultipartUploadParams,
  ): Promise<multipart.CreateMultipartUploadResult> {
    return multipart.createMultipartUpload(this.#transport, p);
  }
  /** Upload Part (1–10000, 1 MiB–5 GiB except the last); its CRC-64 is checked against the server's. */
  uploadPart(p: multipart.UploadPartParams): Promise<multipart.UploadPartResult> {
    return multipart.uploadPart(this.#transport, p);
  }
  /** Upload Part - Copy from `CopySource` (range and `CopySourceIf*` conditions); a 200 with `<Error>` throws. */
  uploadPartCopy(p: multipart.UploadPartCopyParams): Promise<multipart.UploadPartCopyResult> {
    return multipart.uploadPartCopy(this.#transport, p);
  }
  /** One page of List Parts; follow `NextPartNumberMarker` while `IsTruncated`. */
  listParts(p: multipart.ListPartsParams) {
    return multipart.listParts(this.#transport, p);
  }
  /** Complete Multipart Upload with every part in order; a 200 with `<Error>` throws. Timeout: `CompleteTimeout`. */
  completeMultipartUpload(
    p: multipart.CompleteMultipartUploadParams,
  ): Promise<multipart.CompleteMultipartUploadResult2> {
    return multipart.completeMultipartUpload(this.#transport, p);
  }
  /** Abort Multipart Upload: the parts are deleted. */
  abortMultipartUpload(p: multipart.AbortMultipartUploadParams): Promise<HeaderResponse> {
    return multipart.abortMultipartUpload(this.#transport, p);
  }

  /**
   * A pre-signed URL anyone can use until it expires: `Method` (default `GET`), `Expired` seconds
   * (default 3600), extra signed `Params`; temporary keys add `x-cos-security-token`. The URL names
   * the COS host even when `IP` is set. No request is made.
   */
  getPresignedUrl(p: presign.PresignedUrlParams): Promise<string> {
    return presign.getPresignedUrl(this.#transport, p);
  }
  /** The Python SDK's `get_presigned_download_url`: {@link getPresignedUrl} with `Method: 'GET'`. */
  getPresignedDownloadUrl(p: Omit<presign.PresignedUrlParams, 'Method'>): Promise<string> {
    return presign.getPresignedUrl(this.#transport, {
      ...p,
      Method: 'GET',
    });
  }

  // Object APIs around upload (the Python SDK's names in camelCase)
  /** PUT Object - Copy (up to 5 GB); `CopyStatus: 'Replaced'` onto itself changes metadata or class. A 200 with `<Error>` throws. */
  copyObject(p: copy.CopyObjectParams): Promise<copy.CopyObjectCallResult> {
    return copy.copyObject(this.#transport, p);
  }
  /** Delete Multiple Objects (1–1000 keys); per-key failures come back in `Error`, not as a throw. */
  deleteObjects(p: deleteMultiple.DeleteObjectsParams): Promise<deleteMultiple.DeleteObjectsResult> {
    return deleteMultiple.deleteObjects(this.#transport, p);
  }
  /** PUT Object acl: canned `ACL`, `Grant*` headers, or an `AccessControlPolicy` body. */
  putObjectAcl(p: acl.PutObjectAclParams): Promise<HeaderResponse> {
    return acl.putObjectAcl(this.#transport, p);
  }
  /** GET Object acl: owner, grants and the canned ACL they amount to (`CannedACL`). */
  getObjectAcl(
    p: { Bucket: string; Key: string; VersionId?: string } & CallOptions,
  ): Promise<acl.GetObjectAclResult> {
    return acl.getObjectAcl(this.#transport, p);
  }
  /** PUT Object tagging: replaces every tag (at most 10). */
  putObjectTagging(p: tagging.PutObjectTaggingParams): Promise<HeaderResponse> {
    return tagging.putObjectTagging(this.#transport, p);
  }
  /** GET Object tagging: `TagSet.Tag` is always an array. */
  getObjectTagging(
    p: { Bucket: string; Key: string; VersionId?: string } & CallOptions,
  ): Promise<tagging.GetObjectTaggingResult> {
    return tagging.getObjectTagging(this.#transport, p);
  }
  /** DELETE Object tagging. */
  deleteObjectTagging(
    p: { Bucket: string; Key: string; VersionId?: string } & CallOptions,
  ): Promise<HeaderResponse> {
    return tagging.deleteObjectTagging(this.#transport, p);
  }
  /** PUT Bucket versioning: `Enabled` or `Suspended`. */
  putBucketVersioning(p: versioning.PutBucketVersioningParams): Promise<HeaderResponse> {
    return versioning.putBucketVersioning(this.#transport, p);
  }
  /** GET Bucket versioning (`Status` absent for a never-versioned bucket). */
  getBucketVersioning(p: bucket.BucketParams): Promise<versioning.GetBucketVersioningResult> {
    return versioning.getBucketVersioning(this.#transport, p);
  }
  /** One page of GET Bucket Object versions; follow `NextKeyMarker`/`NextVersionIdMarker`. Keys arrive decoded. */
  listObjectsVersions(
    p: versioning.ListObjectsVersionsParams,
  ): Promise<versioning.ListObjectsVersionsResult> {
    return versioning.listObjectsVersions(this.#transport, p);
  }
  /** POST Object restore of an ARCHIVE / DEEP_ARCHIVE object (`Days`, `CASJobParameters.Tier`). */
  restoreObject(p: restore.RestoreObjectParams): Promise<HeaderResponse> {
    return restore.restoreObject(this.#transport, p);
  }

  // Advanced uploads
  /** A stream of unknown length (the Python SDK's `upload_file_from_buffer`). */
  uploadStream(p: UploadStreamParams): Promise<UploadStreamResult> {
    return uploadStream(this, p);
  }
}
