/**
 * `CosS3Client` for Node: every call of {@link CosS3ClientCore} plus those that read or write local
 * files — `putObjectFromLocalFile`, `getObjectToFile`, `uploadFile`, `uploadDirectory`,
 * `downloadFile`, `downloadDirectory`, `appendFile` and the checkpointed `copy` — sending on `node:http`/`node:https`.
 */
import type { Readable } from 'node:stream';
import { CosS3ClientCore } from '../client.js';
import type { CosConfig } from '../config.js';
import type * as read from '../operations/object-read.js';
import type * as write from '../operations/object-write.js';
import { type AppendFileParams, type AppendFileResult, appendFile } from './append-file.js';
import { type CopyParams, type CopyResult, copy } from './copy.js';
import { type CopyDirectoryParams, type CopyDirectoryResult, copyDirectory } from './copy-directory.js';
import {
  type DownloadDirectoryParams,
  type DownloadDirectoryResult,
  downloadDirectory,
} from './download-directory.js';
import { type DownloadFileParams, type DownloadFileResult, downloadFile } from './download-file.js';
import * as local from './local-file-operations.js';
import { nodePlatform } from './platform.js';
import {
  type UploadDirectoryParams,
  type UploadDirectoryResult,
  uploadDirectory,
} from './upload-directory.js';
import { type UploadFileParams, type UploadFileResult, uploadFile } from './upload-file.js';

export class CosS3Client extends CosS3ClientCore<Readable> {
  constructor(config: CosConfig) {
    super(config, nodePlatform(config));
  }

  /** PUT Object from a local file, streamed (reopened on a retry). */
  putObjectFromLocalFile(p: local.PutObjectFromLocalFileParams): Promise<write.PutObjectResult> {
    return local.putObjectFromLocalFile(this.transport, p);
  }
  /** GET Object straight into `LocalFilePath`. */
  getObjectToFile(p: read.GetObjectParams & { LocalFilePath: string }): Promise<read.HeadObjectResult> {
    return local.getObjectToFile(this.transport, p);
  }
  /** The seed's `upload_file`: PUT up to the threshold, resumable multipart above it. */
  uploadFile(p: UploadFileParams): Promise<UploadFileResult> {
    return uploadFile(this, this.endpointId, p);
  }
  /** The seed's batch upload of a local folder. */
  uploadDirectory(p: UploadDirectoryParams): Promise<UploadDirectoryResult> {
    return uploadDirectory(this, this.endpointId, p);
  }
  /** The Python SDK's `download_file`: one GET up to `PartSize`, resumable parallel ranges above. */
  downloadFile(p: DownloadFileParams): Promise<DownloadFileResult> {
    return downloadFile(this, this.endpointId, p);
  }
  /** Every object under a prefix to a local folder (the mirror of uploadDirectory), each through downloadFile. */
  downloadDirectory(p: DownloadDirectoryParams): Promise<DownloadDirectoryResult> {
    return downloadDirectory(this, this.endpointId, p);
  }
  /**
   * The Python SDK's advanced `copy()`: one PUT Object - Copy up to `MultipartThreshold` (5 GiB),
   * a resumable multipart Upload Part - Copy above it, CRC-64 checked.
   */
  copy(p: CopyParams): Promise<CopyResult> {
    return copy(this, this.endpointId, p);
  }
  /** Every object under a source prefix copied on the server to a target prefix, each through `copy`. */
  copyDirectory(p: CopyDirectoryParams): Promise<CopyDirectoryResult> {
    return copyDirectory(this, this.endpointId, p);
  }
  /** A local file appended to an appendable object, resumable, CRC-64 checked. */
  appendFile(p: AppendFileParams): Promise<AppendFileResult> {
    return appendFile(this, this.endpointId, p);
  }
}
