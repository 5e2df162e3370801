/**
 * How the three listings apply `encoding-type=url`. The transform itself lives in
 * `../url-encoding.ts` (`encodeListingValue` / `decodeListingValue`); this only decides when.
 */
import { decodeListingValue, encodeListingValue } from '../url-encoding.js';
import { xmlText } from './build.js';
import { XmlUnrepresentableError } from './codec-error.js';

/** The only `encoding-type` COS defines. */
export type ListEncodingType = 'url';

/** The value written into the listing's EncodingType element. */
export function encodingTypeText(encodingType: ListEncodingType | undefined): string {
  return encodingType ?? '';
}

const LONE_SURROGATE = /[\ud800-\udfff]/u;

function encodeOrThrow(value: string, field: string): string {
  try {
    return encodeListingValue(value);
  } catch (error) {
    // encodeURIComponent refuses unpaired surrogates: they have no UTF-8 form to percent-encode.
    const bad = LONE_SURROGATE.exec(value);
    if (error instanceof URIError && bad) throw new XmlUnrepresentableError(field, bad[0].codePointAt(0)!);
    throw error;
  }
}

/**
 * The per-value transform a builder applies: {@link encodeListingValue} when `url` was requested,
 * identity otherwise. `field` names the value in a {@link XmlUnrepresentableError} (thrown for an
 * unpaired surrogate, which not even percent-encoding can carry).
 */
export function listingEncoder(
  encodingType: ListEncodingType | undefined,
): (value: string, field: string) => string {
  return encodingType === 'url' ? encodeOrThrow : (value) => value;
}

/**
 * The per-value transform a parser applies: {@link decodeListingValue} when the body's
 * EncodingType says `url` (any case, surrounding spaces ignored).
 */
export function listingDecoder(bodyEncodingType: string | undefined): (value: string) => string {
  return bodyEncodingType?.trim().toLowerCase() === 'url' ? decodeListingValue : (value) => value;
}

/**
 * An element writer for the fields a listing encodes: like `xmlText`, but the value first goes
 * through {@link listingEncoder}. Builders use it for exactly the url-encoded fields.
 */
export function listingTextWriter(
  encodingType: ListEncodingType | undefined,
): (name: string, value: string, field?: string) => string {
  const encode = listingEncoder(encodingType);
  return (name, value, field = name) => xmlText(name, encode(value, field), field);
}
