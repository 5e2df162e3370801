/**
 * Small JSON state files of the CLI's own resumable transfers (ranged downloads, appends). They are
 * written by the SDK's atomic JSON writer (temp file, fsync, rename, directory fsync), like its
 * upload checkpoints, and live beside them.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { JsonFileWriter, readJsonFile, writeJsonFileAtomic } from '@coskit/client';

/** `<dir>/<kind>-<hash of the parts>.json` (the last part is a local path, resolved first). */
export function statePath(dir: string, kind: string, parts: readonly string[]): string {
  const id = createHash('sha256')
    .update(JSON.stringify(parts.map((p, i) => (i === parts.length - 1 ? resolve(p) : p))))
    .digest('hex')
    .slice(0, 40);
  return join(dir, `${kind}-${id}.json`);
}

export const readState = readJsonFile;
export const writeState = writeJsonFileAtomic;

export async function removeState(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** At most one write in flight; a burst of saves collapses into one more write of the latest state. */
export class StateWriter extends JsonFileWriter<unknown> {}
