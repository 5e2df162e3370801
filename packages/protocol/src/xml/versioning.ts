/** The `<VersioningConfiguration>` body of PUT and GET Bucket versioning (docs 19889, 19888). */
import { xmlDocument, xmlParent, xmlText } from './build.js';
import { XmlCodecError } from './codec-error.js';
import { readOptionalString } from './fields.js';
import { parseXmlRoot } from './parse.js';

/** The two states a bucket's versioning can be put in. */
export const VERSIONING_STATUSES = ['Enabled', 'Suspended'] as const;
export type VersioningStatus = (typeof VERSIONING_STATUSES)[number];

/** A bucket's versioning state. */
export interface VersioningConfiguration {
  /** Left out for a bucket that never had versioning (GET answers `<VersioningConfiguration/>`). */
  Status?: VersioningStatus;
}

/** `<VersioningConfiguration><Status>…</Status></VersioningConfiguration>`, or the empty element. */
export function buildVersioningConfiguration(model: VersioningConfiguration): string {
  return xmlDocument(
    xmlParent('VersioningConfiguration', model.Status === undefined ? [] : [xmlText('Status', model.Status)]),
  );
}

/**
 * Reads the body. `strict` (the server reading a PUT) requires `Status` to be `Enabled` or
 * `Suspended` exactly; the client reading a GET answer leaves an absent or unknown status out.
 *
 * @throws {@link XmlCodecError} if the root is not `VersioningConfiguration`, or (strict) the
 *   status is missing or not one of the two.
 */
export function parseVersioningConfiguration(
  xml: string | Uint8Array,
  options: { strict?: boolean } = {},
): VersioningConfiguration {
  const root = parseXmlRoot(xml, 'VersioningConfiguration');
  const status = readOptionalString(root, 'Status')?.trim();
  if ((VERSIONING_STATUSES as readonly (string | undefined)[]).includes(status)) {
    return { Status: status as VersioningStatus };
  }
  if (options.strict) {
    throw new XmlCodecError(
      `VersioningConfiguration Status must be Enabled or Suspended, got ${JSON.stringify(status ?? '')}`,
    );
  }
  return {};
}
