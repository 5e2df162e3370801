/** Initiate Multipart Upload's answer (§4.3). */
import { xmlDocument, xmlParent, xmlText } from './build.js';
import { readString, UPLOAD_ID_NAMES } from './fields.js';
import { parseXmlRoot } from './parse.js';
import type { InitiateMultipartUploadResult } from './types.js';

/**
 * Server side: the `InitiateMultipartUploadResult` body (declaration, no namespace).
 *
 * @throws {@link XmlUnrepresentableError} if the key holds characters XML 1.0 cannot carry.
 */
export function buildInitiateMultipartUploadResult(model: InitiateMultipartUploadResult): string {
  return xmlDocument(
    xmlParent('InitiateMultipartUploadResult', [
      xmlText('Bucket', model.Bucket),
      xmlText('Key', model.Key),
      xmlText('UploadId', model.UploadId),
    ]),
  );
}

/**
 * Client side: reads the body; accepts `UploadID` as well as `UploadId`.
 *
 * @throws {@link XmlCodecError} if the body is not an `InitiateMultipartUploadResult` document.
 */
export function parseInitiateMultipartUploadResult(xml: string | Uint8Array): InitiateMultipartUploadResult {
  const root = parseXmlRoot(xml, 'InitiateMultipartUploadResult');
  return {
    Bucket: readString(root, 'Bucket'),
    Key: readString(root, 'Key'),
    UploadId: readString(root, ...UPLOAD_ID_NAMES),
  };
}
