/**
 * `CosS3Client` for web pages: every call of {@link CosS3ClientCore}, sending with fetch/XHR
 * (browser/fetch-sender.ts), plus `uploadFile` for a `File`/`Blob` (a task that can pause, resume
 * and cancel, checkpointed in IndexedDB) and `uploadDirectory` for picked or dropped folders. GET
 * Object's `Body` is a web `ReadableStream`.
 */
import { CosS3ClientCore } from '../client.js';
import type { CosConfig } from '../config.js';
import { browserPlatform } from './platform.js';
import {
  type BrowserUploadDirectoryParams,
  type BrowserUploadDirectoryResult,
  uploadFiles,
} from './upload-directory.js';
import { type BrowserUploadFileParams, type UploadTask, uploadBlob } from './upload-file.js';

export class CosS3Client extends CosS3ClientCore<ReadableStream<Uint8Array>> {
  constructor(config: CosConfig) {
    super(config, browserPlatform());
  }

  /**
   * The seed's `upload_file` for a `File`/`Blob`: one PUT up to `MultipartThreshold` (20 MiB),
   * multipart above it (`PartSize` 16 MiB × `MAXThread` 4). Returns a task: await it, or
   * `pause()`, `resume()`, `cancel()` it. Arguments are checked before it returns.
   */
  uploadFile(p: BrowserUploadFileParams): UploadTask {
    return uploadBlob(this, this.endpointId, p);
  }

  /** Uploads picked or dropped files under `Prefix` + their relative paths. */
  uploadDirectory(p: BrowserUploadDirectoryParams): Promise<BrowserUploadDirectoryResult> {
    return uploadFiles(this, this.endpointId, p);
  }
}
