/**
 * Object tags: the rules COS documents for them (doc 35665, "Object Tag Overview") and the
 * `x-cos-tagging` header form (`k=v&k2=v2`, each part URL-encoded) used on PUT Object, Initiate
 * Multipart Upload, PUT Object - Copy and POST Object. The XML form (`<Tagging>`) is in
 * `xml/tagging.ts`; both ends check tags with {@link checkTagSet}.
 */
import { LIMITS } from './limits.js';
import type { ParameterProblem } from './parameter-checks.js';
import { decodeComponent, encodeRfc3986 } from './url-encoding.js';

/** One tag of an object. */
export interface CosTag {
  Key: string;
  Value: string;
}

// "UTF-8 letters, spaces, digits [0-9] and + - = . _ : / @". Combining marks are accepted with the
// letters they modify (a decomposed "é" is a letter to its writer).
const TAG_TEXT = /^[\p{L}\p{M}0-9 +\-=._:/@]+$/u;

function characters(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

function invalidTag(message: string): ParameterProblem {
  return { code: 'InvalidTag', message };
}

/**
 * Checks one tag: key 1–{@link LIMITS.maxTagKeyLength} characters, value
 * 1–{@link LIMITS.maxTagValueLength} characters, both only of letters, digits, space and
 * `+ - = . _ : / @`. Case matters and is kept.
 */
export function checkTag(tag: CosTag): ParameterProblem | undefined {
  const keyLength = characters(tag.Key);
  if (keyLength < 1 || keyLength > LIMITS.maxTagKeyLength) {
    return invalidTag(
      `Tag key "${tag.Key}" has ${keyLength} characters; a tag key has 1 to ${LIMITS.maxTagKeyLength}.`,
    );
  }
  if (!TAG_TEXT.test(tag.Key)) {
    return invalidTag(`Tag key "${tag.Key}" may contain only letters, digits, spaces and + - = . _ : / @.`);
  }
  const valueLength = characters(tag.Value);
  if (valueLength < 1 || valueLength > LIMITS.maxTagValueLength) {
    return invalidTag(
      `Tag "${tag.Key}" has a value of ${valueLength} characters; a tag value has 1 to ${LIMITS.maxTagValueLength}.`,
    );
  }
  if (!TAG_TEXT.test(tag.Value)) {
    return invalidTag(
      `Tag "${tag.Key}" has the value "${tag.Value}", which may contain only letters, digits, spaces and + - = . _ : / @.`,
    );
  }
  return undefined;
}

/**
 * Checks a whole tag set: at most {@link LIMITS.maxObjectTags} tags, each valid by
 * {@link checkTag}, no key twice. An empty set is valid (it removes every tag).
 */
export function checkTagSet(tags: readonly CosTag[]): ParameterProblem | undefined {
  if (tags.length > LIMITS.maxObjectTags) {
    return invalidTag(`${tags.length} tags given; an object has at most ${LIMITS.maxObjectTags}.`);
  }
  const seen = new Set<string>();
  for (const tag of tags) {
    const problem = checkTag(tag);
    if (problem) return problem;
    if (seen.has(tag.Key)) return invalidTag(`Tag key "${tag.Key}" is given twice; tag keys are unique.`);
    seen.add(tag.Key);
  }
  return undefined;
}

/**
 * Reads an `x-cos-tagging` header value: `&`-separated `key=value` pairs, each side
 * percent-decoded. `+` stays `+` (it is a tag character; a space is sent as `%20`). A pair without
 * `=` is a key with an empty value, which {@link checkTagSet} then refuses.
 *
 * @returns The tags in header order, checked by {@link checkTagSet}, or the problem to answer.
 */
export function parseTaggingHeader(value: string): { tags: CosTag[] } | { problem: ParameterProblem } {
  const tags: CosTag[] = [];
  if (value.trim() !== '') {
    for (const pair of value.split('&')) {
      const eq = pair.indexOf('=');
      const Key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
      const Value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
      if (Key === undefined || Value === undefined) {
        return { problem: invalidTag(`x-cos-tagging part "${pair}" is not valid percent-encoding.`) };
      }
      tags.push({ Key, Value });
    }
  }
  const problem = checkTagSet(tags);
  return problem ? { problem } : { tags };
}

/** The `x-cos-tagging` value for `tags`: each key and value RFC 3986-encoded, joined as `k=v&k2=v2`. */
export function formatTaggingHeader(tags: readonly CosTag[]): string {
  return tags.map((tag) => `${encodeRfc3986(tag.Key)}=${encodeRfc3986(tag.Value)}`).join('&');
}
