/**
 * Deleting many keys (rm -r, sync --delete, mv -r): Delete Multiple Objects, 1000 keys a request,
 * one request at a time while the caller's listing goes on; each key's outcome is reported from
 * the answer's `<Deleted>`/`<Error>` entries. A key XML 1.0 cannot carry (a control character) goes
 * alone through DELETE Object. One request in flight keeps one listener on the signal, whatever the
 * number of keys.
 */
import { isXmlText, LIMITS } from '@coskit/protocol';
import type { Session } from '../session.js';

/** What becomes of each key. */
export interface DeleteEvents {
  onDeleted(key: string): void;
  /** A per-key failure from the answer (`AccessDenied`, …); the rest go on. */
  onFailed(key: string, code: string, message: string): void;
}

/**
 * Deletes `keys` (any iterable, e.g. a listing filtered as it goes) in batches of 1000. A failure of
 * a whole request (network, refused keys, no such bucket) is thrown: it is the job's, not a key's.
 */
export async function deleteKeys(
  s: Session,
  bucket: string,
  keys: AsyncIterable<string> | Iterable<string>,
  events: DeleteEvents,
): Promise<void> {
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const objects = batch.map((Key) => ({ Key }));
    batch = [];
    const r = await s.client.deleteObjects({
      Bucket: bucket,
      Delete: { Quiet: false, Object: objects },
      EncodingType: 'url',
      signal: s.signal,
    });
    for (const d of r.Deleted) events.onDeleted(d.Key);
    for (const e of r.Error) events.onFailed(e.Key, e.Code, e.Message);
  };
  for await (const key of keys) {
    if (!isXmlText(key)) {
      await s.client.deleteObject({ Bucket: bucket, Key: key, signal: s.signal });
      events.onDeleted(key);
      continue;
    }
    batch.push(key);
    if (batch.length === LIMITS.maxDeleteObjects) await flush();
  }
  await flush();
}
