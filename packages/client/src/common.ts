/**
 * What both entry points export (`@coskit/client` in Node and in a browser): configuration,
 * errors, the calls' parameter and result types, retry policy and the transfer options. Nothing
 * here may import Node: it is part of the browser build.
 */
export type { BodyInput, FileSliceBody } from './body.js';
export {
  type AuthorizationRequest,
  type AuthorizationResult,
  CosConfig,
  type CosConfigOptions,
  type Credentials,
  type CredentialsProvider,
  type GetAuthorization,
  type RequestLogEntry,
} from './config.js';
export { CosClientError, type CosClientErrorCode, CosServiceError } from './errors.js';
export type * from './operations/bucket.js';
export type * from './operations/bucket-cors.js';
export type * from './operations/bucket-versioning.js';
export type { CallOptions, HeaderResponse } from './operations/common.js';
export type * from './operations/multipart.js';
export type * from './operations/object-acl.js';
export type * from './operations/object-copy.js';
export type * from './operations/object-delete.js';
export type * from './operations/object-delete-multiple.js';
export type * from './operations/object-read.js';
export type * from './operations/object-restore.js';
export type * from './operations/object-tagging.js';
export type * from './operations/object-write.js';
export type * from './operations/post-object.js';
export type * from './operations/presign.js';
export { type PathFilter, pathFilter } from './transfer/path-filter.js';
export type { ProgressCallback } from './transfer/progress.js';
export {
  type ObjectHeaderParams,
  type TransferBaseOptions,
  type TransferOptions,
  UPLOAD_DEFAULTS,
} from './transfer/transfer-options.js';
export type { UploadStreamParams, UploadStreamResult } from './transfer/upload-stream.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './transport/retry.js';
