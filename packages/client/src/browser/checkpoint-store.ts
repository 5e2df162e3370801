/**
 * `uploadFile` checkpoints of a web page, in IndexedDB: one record per upload, keyed by the file
 * (name, size, lastModified) and where it goes (endpoint, bucket, key), so that a reload or a
 * crashed tab resumes the same file's upload. A record holds the upload id and the acknowledged
 * parts; it is confirmed by List Parts before any part is skipped (see transfer/upload-resume.ts).
 * Where IndexedDB is missing (a worker without it, a private mode that refuses it) uploads still
 * run, without a checkpoint.
 */
import type { CheckpointPart } from '../transfer/upload-resume.js';

/** What a browser keeps of an upload to resume it (IndexedDB; Node's checkpoint file has more). */
export interface UploadCheckpoint {
  readonly version: 1;
  readonly uploadId: string;
  readonly partSize: number;
  readonly partCount: number;
  /** Part number → acknowledged part. */
  readonly parts: Readonly<Record<string, CheckpointPart>>;
}

const DATABASE = 'coskit';
const STORE = 'upload-checkpoints';

/** The identity of a browser file as far as a page can know it. */
export interface BrowserFileIdentity {
  readonly name: string;
  readonly size: number;
  readonly lastModified: number;
}

/** The record's key: endpoint, bucket, key and the file's identity. */
export function checkpointKey(
  endpoint: string,
  bucket: string,
  key: string,
  file: BrowserFileIdentity,
): string {
  return JSON.stringify([endpoint, bucket, key, file.name, file.size, file.lastModified]);
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

let opened: Promise<IDBDatabase | undefined> | undefined;

/** The database, opened once per page; undefined when the page has no usable IndexedDB. */
function database(): Promise<IDBDatabase | undefined> {
  opened ??= new Promise<IDBDatabase | undefined>((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(undefined);
    const open = indexedDB.open(DATABASE, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => resolve(undefined);
    open.onblocked = () => resolve(undefined);
  });
  return opened;
}

async function withStore<T>(
  mode: IDBTransactionMode,
  act: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T | undefined> {
  const db = await database();
  if (!db) return undefined;
  const tx = db.transaction(STORE, mode);
  const result = await request(act(tx.objectStore(STORE)));
  // A write counts once its transaction has committed (not merely when the request succeeded).
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return result;
}

/** The checkpoint store of one upload. */
export class IndexedDbCheckpoint {
  constructor(readonly id: string) {}

  async load(): Promise<UploadCheckpoint | undefined> {
    const value = await withStore(
      'readonly',
      (s) => s.get(this.id) as IDBRequest<UploadCheckpoint | undefined>,
    );
    return value ?? undefined;
  }

  async save(data: UploadCheckpoint): Promise<void> {
    await withStore('readwrite', (s) => s.put(data, this.id));
  }

  async remove(): Promise<void> {
    await withStore('readwrite', (s) => s.delete(this.id));
  }
}
