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
  return parseCanonicalComplete(xml) ?? parseCompleteMultipartUploadTree(xml);
}

// The fast path. A 10,000-part body (~0.7 MB) costs the general reader ~40 % of a Complete's time
// (validation, an element tree, then the walk below, and the garbage of all three). The SDKs send
// one shape — optional declaration, the root (optionally with xmlns), then parts of a plain
// PartNumber and an ETag, optionally pretty-printed — which is scanned here with sticky regular
// expressions. Each pattern accepts only well-formed XML that the general reader reads the same
// way (xml-complete-fast-path.test.ts compares both); anything else (checksums, other elements,
// entities but &quot;, leading zeros, CDATA, comments, too many parts) is left to the general reader.
const CANONICAL_HEAD =
  /[\uFEFF \t\r\n]*(?:<\?xml(?:[ \t\r\n]+[a-z]+=(?:"[^"<&]*"|'[^'<&]*'))*[ \t\r\n]*\?>[ \t\r\n]*)?<CompleteMultipartUpload(?:[ \t\r\n]+xmlns="[^"<&]*")?[ \t\r\n]*>/y;
const CANONICAL_PART =
  /[ \t\r\n]*<Part>[ \t\r\n]*<PartNumber>(0|[1-9][0-9]{0,8})<\/PartNumber>[ \t\r\n]*<ETag>((?:[0-9A-Za-z-]|&quot;|")+)<\/ETag>[ \t\r\n]*<\/Part>/y;
const CANONICAL_TAIL = /[ \t\r\n]*<\/CompleteMultipartUpload>[ \t\r\n]*$/y;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The parts of a Complete body in the SDKs' shape, or undefined for the general reader to decide.
 * Exported for the test that compares it with {@link parseCompleteMultipartUploadTree}.
 */
export function parseCanonicalComplete(xml: string | Uint8Array): CompleteMultipartUpload | undefined {
  let text: string;
  try {
    text = typeof xml === 'string' ? xml : fatalUtf8.decode(xml);
  } catch {
    return undefined;
  }
  CANONICAL_HEAD.lastIndex = 0;
  if (!CANONICAL_HEAD.test(text)) return undefined;
  let at = CANONICAL_HEAD.lastIndex;
  const parts: CompletePart[] = [];
  for (;;) {
    CANONICAL_PART.lastIndex = at;
    const m = CANONICAL_PART.exec(text);
    if (!m) break;
    at = CANONICAL_PART.lastIndex;
    const etag = m[2]!.includes('&') ? m[2]!.replaceAll('&quot;', '"') : m[2]!;
    if (etag === '""' || parts.length === LIMITS.maxPartNumber) return undefined;
    parts.push({ PartNumber: Number(m[1]), ETag: quoteETag(etag) });
  }
  CANONICAL_TAIL.lastIndex = at;
  if (parts.length === 0 || !CANONICAL_TAIL.test(text)) return undefined;
  return { Part: parts };
}

/** The general reader of the Complete body (any well-formed shape; the checks listed above). */
export function parseCompleteMultipartUploadTree(xml: string | Uint8Array): CompleteMultipartUpload {
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
