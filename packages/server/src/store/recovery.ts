/**
 * Startup recovery. Nothing here is needed for correctness — a crash never leaves a visible torn
 * object, because metadata is committed only after its blob is durable — it only frees space:
 * temp files of unfinished writes, blobs on the garbage list, and orphan blobs that were renamed
 * into place but whose metadata commit never happened.
 */
import { stat } from 'node:fs/promises';
import type { ObjectStore } from './object-store.js';

export interface RecoveryReport {
  readonly tempFiles: number;
  readonly garbageBlobs: number;
  readonly orphanBlobs: number;
}

/** Clears temp files and the garbage list (fast; run before serving). */
export async function recoverQuick(
  store: ObjectStore,
): Promise<Pick<RecoveryReport, 'tempFiles' | 'garbageBlobs'>> {
  const tempFiles = await store.blobs.clearTemp();
  const ids = [...store.meta.dbs.garbage.getKeys()];
  await store.collect(ids);
  return { tempFiles, garbageBlobs: ids.length };
}

/**
 * Deletes blobs no record references. Only blobs older than `olderThan` (ms) are considered, so
 * blobs being written while the sweep runs are never touched. O(objects + parts + blobs): run it
 * in the background after the server is listening.
 */
export async function sweepOrphans(store: ObjectStore, olderThan: number): Promise<number> {
  const referenced = new Set<string>();
  // One snapshot for both tables: a Complete moving a blob from a part to an object between two
  // separate reads would otherwise make a live blob look orphaned.
  const { objects, parts } = store.meta.dbs;
  const transaction = objects.useReadTransaction();
  try {
    for (const { value } of objects.getRange({ transaction }))
      for (const s of value.segments) referenced.add(s.blob);
    for (const { value } of parts.getRange({ transaction })) referenced.add(value.blob);
  } finally {
    transaction.done();
  }
  const orphans: string[] = [];
  for await (const id of store.blobs.listIds()) {
    if (referenced.has(id)) continue;
    const info = await stat(store.blobs.pathOf(id)).catch(() => undefined);
    if (info && info.mtimeMs < olderThan) orphans.push(id);
  }
  await store.blobs.remove(orphans);
  return orphans.length;
}
