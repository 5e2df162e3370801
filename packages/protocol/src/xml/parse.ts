/**
 * The one configured XML reader of coskit. It turns a document into a small element tree and
 * nothing more; the per-body files map that tree onto typed models.
 *
 * Strict about well-formedness (the server answers `MalformedXML` to anything else), lenient about
 * shape: namespaces, attributes, the declaration, processing instructions and comments are
 * ignored, and whitespace between elements (pretty-printing) is dropped while the text of a leaf
 * element is kept byte for byte, so a key `' a '` survives.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XmlCodecError } from './codec-error.js';

/** An element of a parsed document. */
export interface XmlElement {
  /** Local name: any namespace prefix removed. */
  readonly name: string;
  /** Child elements in document order. */
  readonly children: readonly XmlElement[];
  /**
   * Text of a leaf element with entities and character references decoded and CDATA included,
   * untrimmed; `''` for an empty element and for any element that has child elements.
   */
  readonly text: string;
}

const CDATA = '#cdata';
const TEXT = '#text';

// Entities are decoded here, in one pass, rather than by the library: it leaves numeric character
// references (`&#13;`) undecoded and would expand entities declared in a DOCTYPE.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: CDATA,
  commentPropName: false,
});

const utf8 = new TextDecoder('utf-8', { fatal: true });
// COS streams spaces before the Complete result to keep the connection alive (§4.7); a BOM may lead.
const LEADING_SPACE = /^[\uFEFF \t\r\n]+/;
// No legitimate COS body declares a DTD; refusing it outright rules out entity expansion attacks.
const DTD = /<!(?:DOCTYPE|ENTITY)/i;
const REFERENCE = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(lt|gt|amp|quot|apos));|&/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(REFERENCE, (match, hex?: string, dec?: string, name?: string) => {
    if (name !== undefined) return NAMED[name]!;
    const code = hex !== undefined ? Number.parseInt(hex, 16) : dec !== undefined ? Number(dec) : Number.NaN;
    if (Number.isNaN(code) || code > 0x10ffff) {
      throw new XmlCodecError(`undefined entity or bare '&' near ${JSON.stringify(match)}`);
    }
    return String.fromCodePoint(code);
  });
}

type RawNode = Record<string, unknown>;

function isRawNode(value: unknown): value is RawNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The tag name of a preserveOrder node: its one key other than the attribute holder `:@`. */
function tagOf(node: RawNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@') return key;
  return undefined;
}

function textOf(nodes: unknown): string {
  if (!Array.isArray(nodes)) return '';
  let text = '';
  for (const node of nodes) if (isRawNode(node) && typeof node[TEXT] === 'string') text += node[TEXT];
  return text;
}

function toElement(name: string, content: unknown): XmlElement {
  const children: XmlElement[] = [];
  let text = '';
  if (Array.isArray(content)) {
    for (const node of content) {
      if (!isRawNode(node)) continue;
      const tag = tagOf(node);
      if (tag === undefined) continue;
      if (tag === TEXT) text += decodeReferences(String(node[TEXT]));
      else if (tag === CDATA) text += textOf(node[CDATA]);
      else if (!tag.startsWith('?') && !tag.startsWith('!')) children.push(toElement(tag, node[tag]));
    }
  }
  // Text next to child elements is formatting whitespace (or mixed content COS never sends).
  return { name, children, text: children.length > 0 ? '' : text };
}

/**
 * Parses a whole document and returns its root element.
 *
 * @param xml - The body as text or as UTF-8 bytes.
 * @throws {@link XmlCodecError} if the bytes are not UTF-8, the text is not one well-formed XML
 *   element, it contains a DOCTYPE or ENTITY declaration, or an undefined entity is referenced.
 */
export function parseXmlDocument(xml: string | Uint8Array): XmlElement {
  let text: string;
  if (typeof xml === 'string') text = xml;
  else {
    try {
      text = utf8.decode(xml);
    } catch (cause) {
      throw new XmlCodecError('body is not valid UTF-8', { cause });
    }
  }
  text = text.replace(LEADING_SPACE, '');
  if (DTD.test(text)) throw new XmlCodecError('DOCTYPE and ENTITY declarations are not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new XmlCodecError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(text);
  } catch (cause) {
    throw new XmlCodecError('not well-formed XML', { cause });
  }
  if (Array.isArray(nodes)) {
    for (const node of nodes) {
      if (!isRawNode(node)) continue;
      const tag = tagOf(node);
      if (tag !== undefined && tag !== TEXT && tag !== CDATA && !tag.startsWith('?')) {
        return toElement(tag, node[tag]);
      }
    }
  }
  throw new XmlCodecError('document has no root element');
}

/**
 * Parses a document and checks the local name of its root element.
 *
 * @param xml - The body as text or as UTF-8 bytes.
 * @param rootName - Expected root element name, without namespace.
 * @throws {@link XmlCodecError} as {@link parseXmlDocument}, or when the root is another element
 *   (for example `<Error>` inside a 200 response).
 */
export function parseXmlRoot(xml: string | Uint8Array, rootName: string): XmlElement {
  const root = parseXmlDocument(xml);
  if (root.name !== rootName) throw new XmlCodecError(`expected root <${rootName}>, found <${root.name}>`);
  return root;
}
