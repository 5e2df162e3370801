/**
 * Where a bucket lives: the `CreateBucketConfiguration` body PUT Bucket may carry, and GET Bucket
 * location's `LocationConstraint` answer (COS doc 8285 / S3 GetBucketLocation).
 */
import { xmlDocument, xmlText } from './build.js';
import { readOptionalString } from './fields.js';
import { parseXmlRoot } from './parse.js';

/** `<LocationConstraint>region</LocationConstraint>`. */
export function buildLocationConstraint(region: string): string {
  return xmlDocument(xmlText('LocationConstraint', region));
}

/** The region GET Bucket location answered. */
export function parseLocationConstraint(xml: string | Uint8Array): string {
  return parseXmlRoot(xml, 'LocationConstraint').text;
}

/**
 * The `LocationConstraint` a `CreateBucketConfiguration` body names (trimmed; undefined when absent or
 * empty). Its other children (COS's `BucketAZConfig`, S3's `Bucket`/`Location`) are ignored.
 *
 * @throws {@link XmlCodecError} when the root is not `CreateBucketConfiguration`.
 */
export function parseCreateBucketConfiguration(xml: string | Uint8Array): { LocationConstraint?: string } {
  const value = readOptionalString(
    parseXmlRoot(xml, 'CreateBucketConfiguration'),
    'LocationConstraint',
  )?.trim();
  return value ? { LocationConstraint: value } : {};
}
