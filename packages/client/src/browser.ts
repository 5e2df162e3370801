/**
 * @packageDocumentation
 * `@coskit/client/browser` — the SDK for web pages, as an ES module with no Node built-ins: the
 * same calls as in Node (minus local files) on fetch/XHR, `uploadFile` for a `File`/`Blob` (a
 * pausable, cancellable task, resumable after a reload through IndexedDB) and `uploadDirectory`
 * for picked or dropped folders. `@coskit/client` resolves here for a bundler targeting browsers
 * (package.json `exports` condition `browser`).
 */
import type { GetObjectResultOf } from './operations/object-read.js';

export { CosS3Client } from './browser/client.js';
export {
  type BrowserUploadDirectoryParams,
  type BrowserUploadDirectoryResult,
  filesFromDataTransfer,
  type RelativeFile,
} from './browser/upload-directory.js';
export {
  type BrowserUploadFileParams,
  type BrowserUploadFileResult,
  UploadTask,
  type UploadTaskState,
} from './browser/upload-file.js';
export * from './common.js';

/** GET Object's answer in a browser: `Body` is a web `ReadableStream` (read it or cancel it). */
export type GetObjectResult = GetObjectResultOf<ReadableStream<Uint8Array>>;
