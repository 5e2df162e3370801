/**
 * @packageDocumentation
 * `@coskit/client/browser` — the SDK for web pages, as an ES module with no Node built-ins: the
 * same calls as in Node (minus local files) on fetch/XHR. `@coskit/client` resolves here for a
 * bundler targeting browsers (package.json `exports` condition `browser`).
 */
import type { GetObjectResultOf } from './operations/object-read.js';

export { CosS3Client } from './browser/client.js';
export * from './common.js';

/** GET Object's answer in a browser: `Body` is a web `ReadableStream` (read it or cancel it). */
export type GetObjectResult = GetObjectResultOf<ReadableStream<Uint8Array>>;
