/** The `<Error>` body (§3.3), also found inside 200 answers of Complete and the copy calls. */
import { COS_ERRORS, isCosErrorCode } from '../errors.js';
import { xmlDocument, xmlParent, xmlText } from './build.js';
import { XmlCodecError } from './codec-error.js';
import { parseXmlDocument, parseXmlRoot, type XmlElement } from './parse.js';
import type { CosErrorBody } from './types.js';

const STANDARD_FIELDS = ['Code', 'Message', 'Resource', 'RequestId', 'TraceId'] as const;
const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// Python's digest fails on an empty field (§3.3), so a blank is replaced rather than emitted.
const PLACEHOLDER = '-';

/**
 * Server side: the `<Error>` body with the `<?xml version='1.0' encoding='utf-8' ?>` declaration,
 * `Code`, `Message`, `Resource`, `RequestId`, `TraceId` in that order and always non-empty, then
 * any extra fields in insertion order. A blank `Message` becomes the registry's message for the
 * code; a blank `Resource`, `RequestId` or `TraceId` becomes `-`.
 *
 * @throws RangeError if `Code` is empty or an extra field name is not a plain XML name.
 * @throws {@link XmlUnrepresentableError} if a value holds characters XML 1.0 cannot carry.
 */
export function buildErrorBody(model: CosErrorBody): string {
  if (model.Code === '') throw new RangeError('Error body needs a Code');
  const message = model.Message || (isCosErrorCode(model.Code) ? COS_ERRORS[model.Code].message : model.Code);
  const children = [
    xmlText('Code', model.Code),
    xmlText('Message', message),
    xmlText('Resource', model.Resource || PLACEHOLDER),
    xmlText('RequestId', model.RequestId || PLACEHOLDER),
    xmlText('TraceId', model.TraceId || PLACEHOLDER),
  ];
  for (const [name, value] of Object.entries(model)) {
    // Skips the standard five and, defensively, anything a loosely typed caller left undefined.
    if ((STANDARD_FIELDS as readonly string[]).includes(name) || typeof value !== 'string') continue;
    if (!ELEMENT_NAME.test(name))
      throw new RangeError(`Error field name ${JSON.stringify(name)} is not an XML name`);
    children.push(xmlText(name, value));
  }
  return xmlDocument(xmlParent('Error', children));
}

function readErrorBody(root: XmlElement): CosErrorBody {
  const body: CosErrorBody = { Code: '', Message: '', Resource: '', RequestId: '', TraceId: '' };
  const seen = new Set<string>();
  // Every leaf child becomes a field (first occurrence wins, as in the Python SDK's digest).
  for (const child of root.children) {
    if (child.children.length > 0 || seen.has(child.name)) continue;
    seen.add(child.name);
    body[child.name] = child.text;
  }
  return body;
}

/**
 * Client side: reads an `<Error>` body. The five standard fields are `''` when absent; other leaf
 * elements are kept as extra string fields.
 *
 * @throws {@link XmlCodecError} if the body is not an `<Error>` document.
 */
export function parseErrorBody(xml: string | Uint8Array): CosErrorBody {
  return readErrorBody(parseXmlRoot(xml, 'Error'));
}

/**
 * Client side: the error carried by a body, or `undefined` when the body is not an `<Error>`
 * document (another root, empty, or not XML). For 200 answers of Complete and the copy calls,
 * which may hold an error instead of a result.
 */
export function tryParseErrorBody(xml: string | Uint8Array): CosErrorBody | undefined {
  let root: XmlElement;
  try {
    root = parseXmlDocument(xml);
  } catch (error) {
    if (error instanceof XmlCodecError) return undefined;
    throw error;
  }
  return root.name === 'Error' ? readErrorBody(root) : undefined;
}
