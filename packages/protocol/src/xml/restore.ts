/** The `<RestoreRequest>` body of POST Object restore (doc 12633). */
import { LIMITS } from '../limits.js';
import { RESTORE_TIERS, type RestoreTier } from '../restore.js';
import { xmlInteger, xmlParent, xmlText } from './build.js';
import { XmlCodecError } from './codec-error.js';
import { firstChild, readOptionalString, readString, toInteger } from './fields.js';
import { parseXmlRoot } from './parse.js';

/** A restore request. */
export interface RestoreRequest {
  /** Days the restored copy stays readable, {@link LIMITS.minRestoreDays}–{@link LIMITS.maxRestoreDays}. */
  Days: number;
  /** How fast to restore; COS's default is `Standard`. */
  CASJobParameters?: { Tier: RestoreTier };
}

/**
 * Client side: `<RestoreRequest><Days>n</Days><CASJobParameters><Tier>…</Tier></CASJobParameters></RestoreRequest>`,
 * no declaration (what the official SDKs send).
 *
 * @throws RangeError if `Days` is not a non-negative integer.
 */
export function buildRestoreRequest(model: RestoreRequest): string {
  return xmlParent('RestoreRequest', [
    xmlInteger('Days', model.Days),
    ...(model.CASJobParameters === undefined
      ? []
      : [xmlParent('CASJobParameters', [xmlText('Tier', model.CASJobParameters.Tier)])]),
  ]);
}

/**
 * Server side: reads and checks the body: `Days` an integer in
 * {@link LIMITS.minRestoreDays}–{@link LIMITS.maxRestoreDays}; `CASJobParameters/Tier`, when
 * given, one of `Expedited`, `Standard`, `Bulk`. Which tiers a storage class accepts is the
 * handler's check.
 *
 * @throws {@link XmlCodecError} (`MalformedXML`) for anything else.
 */
export function parseRestoreRequest(xml: string | Uint8Array): RestoreRequest {
  const root = parseXmlRoot(xml, 'RestoreRequest');
  const daysText = readString(root, 'Days');
  const days = toInteger(daysText);
  if (days === undefined || days < LIMITS.minRestoreDays || days > LIMITS.maxRestoreDays) {
    throw new XmlCodecError(
      `RestoreRequest Days must be an integer from ${LIMITS.minRestoreDays} to ${LIMITS.maxRestoreDays}, got ${JSON.stringify(daysText)}`,
    );
  }
  const job = firstChild(root, ['CASJobParameters']);
  const tier = job ? readOptionalString(job, 'Tier')?.trim() : undefined;
  if (tier !== undefined && !(RESTORE_TIERS as readonly string[]).includes(tier)) {
    throw new XmlCodecError(
      `CASJobParameters Tier must be one of ${RESTORE_TIERS.join(', ')}, got "${tier}"`,
    );
  }
  return { Days: days, ...(tier === undefined ? {} : { CASJobParameters: { Tier: tier as RestoreTier } }) };
}
