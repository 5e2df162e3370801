/**
 * Restoring ARCHIVE and DEEP_ARCHIVE objects (POST Object restore, doc 12633): which classes are
 * cold, which tiers each accepts, and the `x-cos-restore` header HEAD Object answers with. The
 * request body (`<RestoreRequest>`) is in `xml/restore.ts`.
 */

/** Storage classes whose objects cannot be read (GET: 403 `InvalidObjectState`) until restored. */
export const COLD_STORAGE_CLASSES = ['ARCHIVE', 'DEEP_ARCHIVE'] as const;

/** Restore tiers (`CASJobParameters/Tier`) in order of speed. */
export const RESTORE_TIERS = ['Expedited', 'Standard', 'Bulk'] as const;
export type RestoreTier = (typeof RESTORE_TIERS)[number];

/** DEEP_ARCHIVE offers no Expedited restore. */
export const DEEP_ARCHIVE_RESTORE_TIERS: readonly RestoreTier[] = ['Standard', 'Bulk'];

/** Whether objects of `storageClass` need a restore before GET. */
export function isColdStorageClass(storageClass: string): boolean {
  return (COLD_STORAGE_CLASSES as readonly string[]).includes(storageClass);
}

/**
 * The `x-cos-restore` value: `ongoing-request="true"` while a restore runs, then
 * `ongoing-request="false", expiry-date="<RFC 1123 date>"` while the restored copy is readable.
 *
 * @param expiry - When the restored copy expires; `undefined` while the restore is in progress.
 */
export function formatRestoreHeader(expiry: Date | undefined): string {
  return expiry === undefined
    ? 'ongoing-request="true"'
    : `ongoing-request="false", expiry-date="${expiry.toUTCString()}"`;
}

const RESTORE_HEADER = /^\s*ongoing-request\s*=\s*"(true|false)"\s*(?:,\s*expiry-date\s*=\s*"([^"]+)"\s*)?$/i;

/**
 * Reads an `x-cos-restore` value (client side).
 *
 * @returns `ongoing` and, once done, the expiry date; `undefined` for any other text.
 */
export function parseRestoreHeader(value: string): { ongoing: boolean; expiry?: Date } | undefined {
  const m = RESTORE_HEADER.exec(value);
  if (!m) return undefined;
  const ongoing = m[1]!.toLowerCase() === 'true';
  if (m[2] === undefined) return { ongoing };
  const expiry = new Date(m[2]);
  return Number.isNaN(expiry.getTime()) ? undefined : { ongoing, expiry };
}
