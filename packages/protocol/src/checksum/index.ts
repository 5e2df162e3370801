export * from './aws-checksum.js';
export * from './crc32.js';
export * from './md5.js';
