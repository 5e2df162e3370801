/**
 * Uploads that were under way when the page went away, so that after a reload (or a crashed tab)
 * the console can list them and ask for the same files again. The bytes already sent are not
 * here: the client's own checkpoint (IndexedDB, keyed by name, size, lastModified, bucket and key)
 * resumes them, confirmed by ListParts. Kept in localStorage (no credentials, only names).
 */

export interface PendingUpload {
  readonly bucket: string;
  readonly key: string;
  readonly name: string;
  readonly size: number;
  readonly lastModified: number;
}

const KEY = 'coskit-console-pending-uploads';

export function loadPending(): PendingUpload[] {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(value) ? (value as PendingUpload[]).filter((p) => typeof p?.key === 'string') : [];
  } catch {
    return [];
  }
}

function save(list: readonly PendingUpload[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // storage full or disabled: only the after-reload hint is lost, never an upload
  }
}

export const samePending = (a: PendingUpload, b: PendingUpload) =>
  a.bucket === b.bucket &&
  a.key === b.key &&
  a.name === b.name &&
  a.size === b.size &&
  a.lastModified === b.lastModified;

export function addPending(entry: PendingUpload): void {
  save([...loadPending().filter((p) => !samePending(p, entry)), entry]);
}

export function removePending(entry: PendingUpload): void {
  save(loadPending().filter((p) => !samePending(p, entry)));
}
