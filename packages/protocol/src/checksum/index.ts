export * from './aws-checksum.js';
export * from './crc32.js';
export * from './crc64nvme.js';
export * from './md5.js';
export * from './multipart-checksum.js';
