/**
 * The S3 checksum elements several bodies carry (`<ChecksumCRC32>`, …, `<ChecksumType>`): written in
 * S3's order (CRC32, CRC32C, CRC64NVME, SHA1, SHA256) and only when set, read into one map.
 */
import { AWS_CHECKSUM_ALGORITHMS } from '../checksum/aws-checksum.js';
import { checksumElementName } from '../checksum/multipart-checksum.js';
import { xmlText } from './build.js';
import { readOptionalString } from './fields.js';
import type { XmlElement } from './parse.js';
import type { ChecksumValues } from './types.js';

const S3_ORDER = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;

/** The `<Checksum…>` elements of `values` (none when it is undefined or empty). */
export function xmlChecksums(values: ChecksumValues | undefined): string[] {
  if (!values) return [];
  return S3_ORDER.flatMap((a) => {
    const value = values[a];
    return value === undefined ? [] : [xmlText(checksumElementName(a), value)];
  });
}

/** The `<Checksum…>` children of `el` (trimmed), or undefined when it has none. */
export function readChecksums(el: XmlElement): ChecksumValues | undefined {
  const values: ChecksumValues = {};
  let any = false;
  for (const a of AWS_CHECKSUM_ALGORITHMS) {
    const text = readOptionalString(el, checksumElementName(a))?.trim();
    if (text) {
      values[a] = text;
      any = true;
    }
  }
  return any ? values : undefined;
}
