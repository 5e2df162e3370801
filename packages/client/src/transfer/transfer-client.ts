/**
 * The calls the transfer layer makes, typed from `CosS3ClientCore` itself: the list documents
 * exactly which requests an advanced transfer sends.
 */
import type { CosS3ClientCore } from '../client.js';

export type TransferClient<TStream = unknown> = Pick<
  CosS3ClientCore<TStream>,
  | 'config'
  | 'putObject'
  | 'appendObject'
  | 'headObject'
  | 'getObject'
  | 'createMultipartUpload'
  | 'uploadPart'
  | 'listParts'
  | 'listMultipartUploads'
  | 'completeMultipartUpload'
  | 'abortMultipartUpload'
  | 'listObjects'
  | 'copyObject'
  | 'uploadPartCopy'
>;
