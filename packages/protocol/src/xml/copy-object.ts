/** PUT Object - Copy's answer (doc 10881): `<CopyObjectResult>`, or an `<Error>` inside a 200. */
import { xmlDocument, xmlParent, xmlText } from './build.js';
import { readChecksums, xmlChecksums } from './checksums.js';
import { quoteETag } from './etag.js';
import { readETag, readOptionalString, readString } from './fields.js';
import { parseXmlRoot } from './parse.js';
import type { ChecksumValues } from './types.js';

/** Body of PUT Object - Copy's answer. */
export interface CopyObjectResult {
  /** The new object's ETag, quoted; the same as the source's, since the bytes are the same. */
  ETag: string;
  /** ISO-8601. */
  LastModified: string;
  /** CRC-64/XZ of the object as an unsigned decimal string; left out when the server gave none. */
  CRC64?: string;
  /** The new object's version ID on a versioning-enabled bucket; left out otherwise. */
  VersionId?: string;
  /** S3: the new object's checksum, when it has one. */
  Checksums?: ChecksumValues;
  /** S3: `COMPOSITE` or `FULL_OBJECT`, with `Checksums`. */
  ChecksumType?: string;
}

/**
 * Server side: the `CopyObjectResult` body in the order of the COS doc (`ETag`, `CRC64`,
 * `LastModified`, `VersionId`); the optional fields only when set. An error after the copy has
 * started is instead a 200 whose body is `buildErrorBody(...)` (see `error.ts`).
 *
 * @throws {@link XmlUnrepresentableError} if a value holds characters XML 1.0 cannot carry.
 */
export function buildCopyObjectResult(model: CopyObjectResult): string {
  return xmlDocument(
    xmlParent('CopyObjectResult', [
      xmlText('ETag', quoteETag(model.ETag)),
      ...(model.CRC64 === undefined ? [] : [xmlText('CRC64', model.CRC64)]),
      xmlText('LastModified', model.LastModified),
      ...(model.VersionId === undefined ? [] : [xmlText('VersionId', model.VersionId)]),
      ...xmlChecksums(model.Checksums),
      ...(model.ChecksumType === undefined ? [] : [xmlText('ChecksumType', model.ChecksumType)]),
    ]),
  );
}

/**
 * Client side: reads the body. A 200 answer may carry `<Error>` instead: check with
 * `tryParseErrorBody` first (as the Python SDK does by looking for `ETag`).
 *
 * @throws {@link XmlCodecError} if the root is not `CopyObjectResult`.
 */
export function parseCopyObjectResult(xml: string | Uint8Array): CopyObjectResult {
  const root = parseXmlRoot(xml, 'CopyObjectResult');
  const crc64 = readOptionalString(root, 'CRC64');
  const versionId = readOptionalString(root, 'VersionId');
  const checksums = readChecksums(root);
  const checksumType = readOptionalString(root, 'ChecksumType');
  return {
    ETag: readETag(root),
    LastModified: readString(root, 'LastModified'),
    ...(crc64 === undefined ? {} : { CRC64: crc64.trim() }),
    ...(versionId === undefined ? {} : { VersionId: versionId }),
    ...(checksums ? { Checksums: checksums } : {}),
    ...(checksumType === undefined ? {} : { ChecksumType: checksumType }),
  };
}
