/**
 * The orphan sweep of startup recovery. Nothing here is needed for correctness — a crash never
 * leaves a visible torn object, because metadata is committed only after its blob is durable — it
 * only frees space: blobs that were renamed into place but whose metadata commit never happened.
 * (Temp files and the garbage list are cleared by `LocalStore.recover` before serving.)
 */
import { stat } from 'node:fs/promises';
import { isDeleteMarker } from '../records.js';
import type { BlobStore } from './blobs.js';
import type { MetadataDatabases } from './metadata.js';

/**
 * Blobs no record references. Only blobs older than `olderThan` (Unix ms) are considered, so
 * blobs being written while the sweep runs are never touched. O(versions + parts + blobs): run it
 * in the background after the server is listening.
 */
export async function findOrphans(
  dbs: MetadataDatabases,
  blobs: BlobStore,
  olderThan: number,
): Promise<string[]> {
  const referenced = new Set<string>();
  // One snapshot for both tables: a Complete moving a blob from a part to an object between two
  // separate reads would otherwise make a live blob look orphaned.
  const { objects, versions, parts } = dbs;
  const transaction = objects.useReadTransaction();
  try {
    for (const { value } of objects.getRange({ transaction }))
      for (const s of value.segments) referenced.add(s.blob);
    for (const { value } of versions.getRange({ transaction }))
      if (!isDeleteMarker(value)) for (const s of value.segments) referenced.add(s.blob);
    for (const { value } of parts.getRange({ transaction })) referenced.add(value.blob);
  } finally {
    transaction.done();
  }
  const orphans: string[] = [];
  for await (const id of blobs.listIds()) {
    if (referenced.has(id)) continue;
    const info = await stat(blobs.pathOf(id)).catch(() => undefined);
    if (info && info.mtimeMs < olderThan) orphans.push(id);
  }
  return orphans;
}
