/**
 * CRC-64/XZ (a.k.a. CRC-64/GO-ECMA), the `x-cos-hash-crc64ecma` checksum: hashing, combining and the
 * decimal header form.
 * @module
 */
export { crc64Combine } from './combine.js';
export { Crc64, crc64, crc64Update } from './crc64.js';
export { crc64ToDecimal, parseCrc64Decimal } from './decimal.js';
