/**
 * The orphan sweep of startup recovery. Nothing here is needed for correctness — a crash never
 * leaves a visible torn object, because metadata is committed only after its blob is durable — it
 * only frees space: blobs that were renamed into place but whose metadata commit never happened.
 * (Temp files and the garbage list are cleared by `LocalStore.recover` before serving.)
 *
 * Only a process that died can leave orphans, so a clean close leaves a mark
 * ({@link markCleanShutdown}) and the next start that finds it skips the sweep: walking every
 * record of a 1M-key store costs seconds of CPU and a burst of garbage right when the first
 * requests arrive.
 */
import { open, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeleteMarker } from '../records.js';
import type { BlobStore } from './blobs.js';
import { isRecordKey, type MetadataDatabases } from './metadata.js';

/**
 * Records the sweep reads between two yields to the event loop (~1 ms of decoding on the test
 * machine): the sweep of a 1M-key store takes seconds, and without yields every request that
 * arrives meanwhile — the first listing after a start — waits for all of it.
 */
const SWEEP_RECORDS_PER_TURN = 1000;

/** Lets queued requests run (a macrotask, so I/O callbacks get their turn). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
  // The snapshot is kept across the yields (its cursors stay valid; LMDB only defers reusing the
  // pages that later commits free until it is done).
  const transaction = objects.useReadTransaction();
  let read = 0;
  const turn = () => ++read % SWEEP_RECORDS_PER_TURN === 0;
  try {
    for (const { key, value } of objects.getRange({ transaction })) {
      if (isRecordKey(key)) for (const s of value.segments) referenced.add(s.blob);
      if (turn()) await nextTurn();
    }
    for (const { key, value } of versions.getRange({ transaction })) {
      if (isRecordKey(key) && !isDeleteMarker(value)) for (const s of value.segments) referenced.add(s.blob);
      if (turn()) await nextTurn();
    }
    for (const { key, value } of parts.getRange({ transaction })) {
      if (isRecordKey(key)) referenced.add(value.blob);
      if (turn()) await nextTurn();
    }
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

/** The file a clean close leaves in the data directory. */
const CLEAN_SHUTDOWN_FILE = 'clean-shutdown';

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * True if the last process to use `dataDir` closed it cleanly (nothing to sweep). The mark is
 * removed durably before this resolves, so if this process dies, the next start sweeps.
 */
export async function takeCleanShutdownMark(dataDir: string): Promise<boolean> {
  const found = await stat(join(dataDir, CLEAN_SHUTDOWN_FILE)).then(
    () => true,
    () => false,
  );
  if (found) {
    await rm(join(dataDir, CLEAN_SHUTDOWN_FILE), { force: true });
    await syncDir(dataDir);
  }
  return found;
}

/** Records that the store under `dataDir` was closed with no write left half done. */
export async function markCleanShutdown(dataDir: string): Promise<void> {
  await writeFile(join(dataDir, CLEAN_SHUTDOWN_FILE), '');
  await syncDir(dataDir);
}
