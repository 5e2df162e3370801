/**
 * `CosS3Client` for web pages: every call of {@link CosS3ClientCore}, sending with fetch/XHR
 * (browser/fetch-sender.ts); GET Object's `Body` is a web `ReadableStream`.
 */
import { CosS3ClientCore } from '../client.js';
import type { CosConfig } from '../config.js';
import { browserPlatform } from './platform.js';

export class CosS3Client extends CosS3ClientCore<ReadableStream<Uint8Array>> {
  constructor(config: CosConfig) {
    super(config, browserPlatform());
  }
}
