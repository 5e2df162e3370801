/** Upload Part - Copy's answer (§4.5). */
import { xmlDocument, xmlParent, xmlText } from './build.js';
import { readChecksums, xmlChecksums } from './checksums.js';
import { quoteETag } from './etag.js';
import { readETag, readString } from './fields.js';
import { parseXmlRoot } from './parse.js';
import type { CopyPartResult } from './types.js';

/** Server side: the `CopyPartResult` body (ETag quoted, written as `&quot;`). */
export function buildCopyPartResult(model: CopyPartResult): string {
  return xmlDocument(
    xmlParent('CopyPartResult', [
      xmlText('ETag', quoteETag(model.ETag)),
      xmlText('LastModified', model.LastModified),
      ...xmlChecksums(model.Checksums),
    ]),
  );
}

/**
 * Client side: reads the body. A 200 answer may carry `<Error>` instead: check with
 * `tryParseErrorBody` first.
 *
 * @throws {@link XmlCodecError} if the root is not `CopyPartResult`.
 */
export function parseCopyPartResult(xml: string | Uint8Array): CopyPartResult {
  const root = parseXmlRoot(xml, 'CopyPartResult');
  const checksums = readChecksums(root);
  return {
    ETag: readETag(root),
    LastModified: readString(root, 'LastModified'),
    ...(checksums ? { Checksums: checksums } : {}),
  };
}
