/**
 * @packageDocumentation
 * `@coskit/client` — a typed TypeScript SDK for Tencent Cloud COS uploads, mirroring the COS
 * Python SDK's upload page: `new CosS3Client(new CosConfig({ Region, SecretId, SecretKey }))`.
 * Everything of `@coskit/client/node` is re-exported here for Node users.
 */

export * from './common.js';
export * from './node.js';
