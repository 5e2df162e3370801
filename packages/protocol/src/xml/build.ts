/**
 * The one XML writer of coskit: escaping plus a few element helpers. Output is compact (no
 * whitespace between elements) because the official Node SDK parses without trimming and would
 * otherwise carry formatting text nodes around.
 */
import { XmlUnrepresentableError } from './codec-error.js';
import type { CosOwner } from './types.js';

/**
 * Declaration on every server-emitted body. The Error body must carry exactly this form (§3.3);
 * one declaration for all bodies keeps the server's output uniform.
 */
export const XML_DECLARATION = "<?xml version='1.0' encoding='utf-8' ?>";

// XML 1.0 `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. With the `u` flag a
// lone surrogate is its own code point and falls outside every range.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const SPECIAL = /[&<>"'\r]/g;
// `\r` is written as a reference because every conforming parser turns a literal CR into LF.
const ESCAPE: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/**
 * Whether `value` can be carried as XML 1.0 text at all. A server can use it to refuse, before
 * doing any work, a request whose answer would have to carry such a key without `encoding-type=url`.
 */
export function isXmlText(value: string): boolean {
  return !NOT_XML_CHAR.test(value);
}

/**
 * Escapes `& < > " '` (and CR) for element content.
 *
 * @param value - Text to escape.
 * @param field - Model field path, reported if the text cannot be carried.
 * @throws {@link XmlUnrepresentableError} if `value` holds a character XML 1.0 cannot carry.
 */
export function escapeXmlText(value: string, field = 'text'): string {
  const bad = NOT_XML_CHAR.exec(value);
  if (bad) throw new XmlUnrepresentableError(field, bad[0].codePointAt(0)!);
  return value.replace(SPECIAL, (c) => ESCAPE[c]!);
}

/**
 * A text element; `<Name/>` when `value` is empty.
 *
 * @param name - Element name (a constant of the schema; not escaped).
 * @param value - Text content.
 * @param field - Model field path for error reports; defaults to `name`.
 * @throws {@link XmlUnrepresentableError} via {@link escapeXmlText}.
 */
export function xmlText(name: string, value: string, field: string = name): string {
  return value === '' ? `<${name}/>` : `<${name}>${escapeXmlText(value, field)}</${name}>`;
}

/**
 * An integer element as a decimal string.
 *
 * @throws RangeError if `value` is not a non-negative safe integer (a caller bug, not a wire issue).
 */
export function xmlInteger(name: string, value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  return `<${name}>${value}</${name}>`;
}

/** A boolean element as lowercase `true`/`false` (both SDKs compare the literal string). */
export function xmlBoolean(name: string, value: boolean): string {
  return `<${name}>${value ? 'true' : 'false'}</${name}>`;
}

/** An element wrapping already-built child elements; `<Name/>` when there are none. */
export function xmlParent(name: string, children: readonly string[]): string {
  return children.length === 0 ? `<${name}/>` : `<${name}>${children.join('')}</${name}>`;
}

/** A complete server body: {@link XML_DECLARATION} followed by the root element. */
export function xmlDocument(root: string): string {
  return XML_DECLARATION + root;
}

/** An `Owner` / `Initiator` element: `<ID>` then `<DisplayName>`. */
export function xmlOwner(name: string, owner: CosOwner, field: string = name): string {
  return xmlParent(name, [
    xmlText('ID', owner.ID, `${field}.ID`),
    xmlText('DisplayName', owner.DisplayName, `${field}.DisplayName`),
  ]);
}
