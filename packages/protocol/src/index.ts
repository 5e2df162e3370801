/**
 * @packageDocumentation
 * `@coskit/protocol` — the COS wire contract shared by the coskit client and server: the q-sign
 * request signature, CRC-64/XZ, the XML bodies, the error-code registry, limits, naming rules and
 * the parameter ↔ header mapping.
 */
export * from './acl.js';
export * from './base64.js';
export * from './checksum/index.js';
export * from './content-type.js';
export * from './copy-source.js';
export * from './crc64/index.js';
export * from './errors.js';
export * from './headers.js';
export * from './limits.js';
export * from './naming.js';
export * from './parameter-checks.js';
export * from './restore.js';
export * from './s3-dialect.js';
export * from './signature/index.js';
export * from './sub-resources.js';
export * from './tagging.js';
export * from './url-encoding.js';
export * from './utf8.js';
export * from './xml/index.js';
