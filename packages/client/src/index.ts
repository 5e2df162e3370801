/**
 * @packageDocumentation
 * `@coskit/client` — a typed TypeScript SDK for Tencent Cloud COS uploads, mirroring the COS
 * Python SDK's upload page: `new CosS3Client(new CosConfig({ Region, SecretId, SecretKey }))`.
 */

export type { BodyInput } from './body.js';
export { CosS3Client } from './client.js';
export { CosConfig, type CosConfigOptions, type Credentials, type CredentialsProvider } from './config.js';
export { CosClientError, type CosClientErrorCode, CosServiceError } from './errors.js';
export type { FileSliceBody } from './file-slice-body.js';
export type * from './operations/bucket.js';
export type { CallOptions, HeaderResponse } from './operations/common.js';
export type * from './operations/multipart.js';
export type * from './operations/object-delete.js';
export type * from './operations/object-read.js';
export type * from './operations/object-write.js';
export type * from './operations/presign.js';
export { JsonFileWriter, readJsonFile, writeJsonFileAtomic } from './transfer/json-state-file.js';
export type { ProgressCallback } from './transfer/progress.js';
export { Semaphore } from './transfer/semaphore.js';
export type { UploadDirectoryParams, UploadDirectoryResult } from './transfer/upload-directory.js';
export type { UploadFileParams, UploadFileResult } from './transfer/upload-file.js';
export { type ObjectHeaderParams, type TransferOptions, UPLOAD_DEFAULTS } from './transfer/upload-options.js';
export type { UploadStreamParams, UploadStreamResult } from './transfer/upload-stream.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './transport/retry.js';
