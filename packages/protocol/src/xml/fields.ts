/**
 * Field readers shared by the body parsers: element-name aliases and the typing rules of
 * `types.ts` (absent/empty → `''`, `0`, `false` or left out). Text is never trimmed except where
 * it is interpreted as a number or boolean, because keys may begin or end with spaces.
 */
import { XmlCodecError } from './codec-error.js';
import { quoteETag } from './etag.js';
import type { XmlElement } from './parse.js';
import type { CommonPrefix, CosOwner } from './types.js';

/** `UploadID` is the 2017 spelling, still read by the Node SDK. */
export const UPLOAD_ID_NAMES = ['UploadId', 'UploadID'] as const;
/** `CommonPrefixs` is the 2017 spelling, still mapped by the Go SDK. */
export const COMMON_PREFIXES_NAMES = ['CommonPrefixes', 'CommonPrefixs'] as const;
/** List Parts says `Encoding-type`, List Multipart Uploads `Encoding-Type`, List Objects `EncodingType`. */
export const ENCODING_TYPE_NAMES = ['Encoding-type', 'Encoding-Type', 'EncodingType'] as const;

const DIGITS = /^[0-9]+$/;

/** The first child named any of `names`. */
export function firstChild(el: XmlElement, names: readonly string[]): XmlElement | undefined {
  return el.children.find((child) => names.includes(child.name));
}

/** Every child named any of `names`, in document order. */
export function childrenNamed(el: XmlElement, names: readonly string[]): XmlElement[] {
  return el.children.filter((child) => names.includes(child.name));
}

/** Text of the first matching child, untrimmed; `''` when absent or empty. */
export function readString(el: XmlElement, ...names: string[]): string {
  return firstChild(el, names)?.text ?? '';
}

/** Text of the first matching child, untrimmed; `undefined` when absent or empty. */
export function readOptionalString(el: XmlElement, ...names: string[]): string | undefined {
  const text = readString(el, ...names);
  return text === '' ? undefined : text;
}

/**
 * Parses a decimal integer (surrounding whitespace allowed).
 *
 * @returns `undefined` for anything but a non-negative safe integer.
 */
export function toInteger(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DIGITS.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Integer of the first matching child; `0` when absent or blank.
 *
 * @throws {@link XmlCodecError} when the text is not a non-negative integer.
 */
export function readInteger(el: XmlElement, name: string): number {
  const text = readString(el, name);
  if (text.trim() === '') return 0;
  const value = toInteger(text);
  if (value === undefined) throw new XmlCodecError(`<${name}> is not an integer: ${JSON.stringify(text)}`);
  return value;
}

/** `true` only for the text `true` (any case, surrounding whitespace ignored). */
export function readBoolean(el: XmlElement, name: string): boolean {
  return readString(el, name).trim().toLowerCase() === 'true';
}

/** An ETag child, quoted (see `etag.ts`); `''` when absent or empty. */
export function readETag(el: XmlElement): string {
  return quoteETag(readString(el, 'ETag'));
}

/** An `Owner` / `Initiator` child; both fields `''` when absent. */
export function readOwner(el: XmlElement, name: string): CosOwner {
  const owner = firstChild(el, [name]);
  return {
    ID: owner ? readString(owner, 'ID') : '',
    DisplayName: owner ? readString(owner, 'DisplayName') : '',
  };
}

/**
 * All `Prefix` children of every `CommonPrefixes`/`CommonPrefixs` element, decoded by `decode`:
 * COS writes one element per prefix, some servers group several prefixes in one.
 */
export function readCommonPrefixes(root: XmlElement, decode: (value: string) => string): CommonPrefix[] {
  return childrenNamed(root, COMMON_PREFIXES_NAMES).flatMap((group) =>
    childrenNamed(group, ['Prefix']).map((prefix) => ({ Prefix: decode(prefix.text) })),
  );
}
