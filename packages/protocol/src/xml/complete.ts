/** Complete Multipart Upload: the request body the client sends and the answer the server gives (§4.7). */
import { LIMITS } from '../limits.js';
import { xmlDocument, xmlParent, xmlText } from './build.js';
import { readChecksums, xmlChecksums } from './checksums.js';
import { XmlCodecError } from './codec-error.js';
import { quoteETag } from './etag.js';
import { childrenNamed, readETag, readOptionalString, readString, toInteger } from './fields.js';
import { parseXmlRoot, type XmlElement } from './parse.js';
import type { CompleteMultipartUpload, CompleteMultipartUploadResult, CompletePart } from './types.js';

/**
 * Client side: the request body, byte for byte what the official Node SDK sends (no declaration,
 * no whitespace, ETag quotes added if missing and written as `&quot;`).
 *
 * @throws RangeError if a PartNumber is not a non-negative integer.
 */
export function buildCompleteMultipartUpload(model: CompleteMultipartUpload): string {
  return xmlParent(
    'CompleteMultipartUpload',
    model.Part.map((part, i) => {
      if (!Number.isSafeInteger(part.PartNumber) || part.PartNumber < 0) {
        throw new RangeError(`Part[${i}].PartNumber must be a non-negative integer, got ${part.PartNumber}`);
      }
      return xmlParent('Part', [
        `<PartNumber>${part.PartNumber}</PartNumber>`,
        xmlText('ETag', quoteETag(part.ETag), `Part[${i}].ETag`),
      ]);
    }),
  );
}

function onlyChild(part: XmlElement, name: string, index: number): XmlElement {
  const found = childrenNamed(part, [name]);
  if (found.length !== 1) {
    throw new XmlCodecError(`Part[${index}] must have exactly one <${name}>, has ${found.length}`);
  }
  return found[0]!;
}

/**
 * Server side: reads and bounds-checks the request body. Checks only what makes the document
 * unusable — root, 1 to {@link LIMITS.maxPartNumber} `<Part>` elements, each with one integer
 * `<PartNumber>` and one non-empty `<ETag>`, and S3's `<ChecksumCRC32>`, … when present; other
 * elements are ignored. Part-number range, order
 * and existence are the handler's checks (`InvalidPart`, `InvalidPartOrder`). ETags come back quoted.
 *
 * @throws {@link XmlCodecError} (`MalformedXML`) for anything malformed, including DOCTYPE/entity
 *   declarations.
 */
export function parseCompleteMultipartUpload(xml: string | Uint8Array): CompleteMultipartUpload {
  const root = parseXmlRoot(xml, 'CompleteMultipartUpload');
  const parts = childrenNamed(root, ['Part']);
  if (parts.length === 0) throw new XmlCodecError('CompleteMultipartUpload lists no <Part>');
  if (parts.length > LIMITS.maxPartNumber) {
    throw new XmlCodecError(
      `CompleteMultipartUpload lists ${parts.length} parts, more than ${LIMITS.maxPartNumber}`,
    );
  }
  return {
    Part: parts.map((part, i): CompletePart => {
      const numberText = onlyChild(part, 'PartNumber', i).text;
      const PartNumber = toInteger(numberText);
      if (PartNumber === undefined) {
        throw new XmlCodecError(`Part[${i}].PartNumber is not an integer: ${JSON.stringify(numberText)}`);
      }
      // ETags never contain whitespace; trimming forgives a pretty-printed request.
      const etag = onlyChild(part, 'ETag', i).text.trim();
      if (etag === '' || etag === '""') throw new XmlCodecError(`Part[${i}].ETag is empty`);
      const checksums = readChecksums(part);
      return { PartNumber, ETag: quoteETag(etag), ...(checksums ? { Checksums: checksums } : {}) };
    }),
  };
}

/**
 * Server side: the success body. No namespace is emitted (§4.3: safest; both SDKs ignore one).
 *
 * @throws {@link XmlUnrepresentableError} if a value holds characters XML 1.0 cannot carry.
 */
export function buildCompleteMultipartUploadResult(model: CompleteMultipartUploadResult): string {
  return xmlDocument(
    xmlParent('CompleteMultipartUploadResult', [
      xmlText('Location', model.Location),
      xmlText('Bucket', model.Bucket),
      xmlText('Key', model.Key),
      xmlText('ETag', quoteETag(model.ETag)),
      ...xmlChecksums(model.Checksums),
      ...(model.ChecksumType === undefined ? [] : [xmlText('ChecksumType', model.ChecksumType)]),
    ]),
  );
}

/**
 * Client side: reads the success body (any namespace, leading keep-alive whitespace allowed). A 200
 * answer may carry `<Error>` instead: check with `tryParseErrorBody` first.
 *
 * @throws {@link XmlCodecError} if the root is not `CompleteMultipartUploadResult`.
 */
export function parseCompleteMultipartUploadResult(xml: string | Uint8Array): CompleteMultipartUploadResult {
  const root = parseXmlRoot(xml, 'CompleteMultipartUploadResult');
  return {
    Location: readString(root, 'Location'),
    Bucket: readString(root, 'Bucket'),
    Key: readString(root, 'Key'),
    ETag: readETag(root),
    ...optionalChecksums(root),
  };
}

/** `Checksums` and `ChecksumType` of an answer, when it has them. */
function optionalChecksums(
  root: XmlElement,
): Pick<CompleteMultipartUploadResult, 'Checksums' | 'ChecksumType'> {
  const checksums = readChecksums(root);
  const type = readOptionalString(root, 'ChecksumType');
  return { ...(checksums ? { Checksums: checksums } : {}), ...(type ? { ChecksumType: type } : {}) };
}
