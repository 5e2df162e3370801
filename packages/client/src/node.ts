/**
 * @packageDocumentation
 * `@coskit/client/node` — the parts of the SDK that need Node's file system and network: the Node
 * `CosS3Client` (local-file calls, `uploadFile`, `uploadDirectory`, `downloadFile`, `downloadDirectory`, `appendFile`)
 * and their parameter and result types. `@coskit/client` re-exports all of it.
 */
import type { Readable } from 'node:stream';
import type { GetObjectResultOf } from './operations/object-read.js';

export type { AppendFileParams, AppendFileResult } from './node/append-file.js';
export { CosS3Client } from './node/client.js';
export type { CopyParams, CopyResult } from './node/copy.js';
export type { CopyDirectoryParams, CopyDirectoryResult, DirectoryCopyFile } from './node/copy-directory.js';
export type {
  DirectoryDownloadFile,
  DownloadDirectoryParams,
  DownloadDirectoryResult,
} from './node/download-directory.js';
export type { DownloadFileParams, DownloadFileResult } from './node/download-file.js';
export type { PutObjectFromLocalFileParams } from './node/local-file-operations.js';
export type { UploadDirectoryParams, UploadDirectoryResult } from './node/upload-directory.js';
export type { UploadFileParams, UploadFileResult } from './node/upload-file.js';
/** GET Object's answer in Node: `Body` is a `Readable` (consume it or `destroy()` it). */
export type GetObjectResult = GetObjectResultOf<Readable>;
