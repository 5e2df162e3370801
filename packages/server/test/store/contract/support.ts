/** Helpers of the store contract suite: bodies as the HTTP layer hands them over, and reads. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { IncomingBody, Store } from '../../../src/store/store.js';
import { StoreError } from '../../../src/store/store-error.js';

/** A backend as the suite sees it: a fresh, empty store per call. */
export interface BackendUnderTest {
  readonly name: string;
  open(): Promise<OpenedBackend>;
}

export interface OpenedBackend {
  readonly store: Store;
  /** Bytes of object and part data the backend holds (files on disk, Buffers in memory). */
  footprint(): Promise<number>;
  /** Waits for the backend's background work (e.g. compaction). */
  settle(): Promise<void>;
  dispose(): Promise<void>;
}

export const md5hex = (b: Buffer) => createHash('md5').update(b).digest('hex');

/**
 * `bytes` as a request body arriving in `chunk`-byte pieces, declaring its length and (with
 * `md5: true`) its Content-MD5 unless told otherwise.
 */
export function bodyOf(
  bytes: Buffer,
  options: { chunk?: number; declaredLength?: number | null; md5?: boolean | string } = {},
): IncomingBody {
  const chunk = options.chunk ?? 16 * 1024;
  async function* stream() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  return {
    stream: stream(),
    declaredLength: options.declaredLength === null ? undefined : (options.declaredLength ?? bytes.length),
    md5: typeof options.md5 === 'string' ? options.md5 : options.md5 ? md5hex(bytes) : undefined,
  };
}

/** A body whose stream fails the test if it is read at all. */
export function unreadableBody(declaredLength: number): IncomingBody {
  return {
    // biome-ignore lint/correctness/useYield: the point is that it never yields
    stream: (async function* () {
      throw new Error('the store read a body it should have refused from its declared length');
    })(),
    declaredLength,
  };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The whole object as stored, or undefined if it is missing. */
export async function contentOf(store: Store, bucket: string, key: string): Promise<Buffer | undefined> {
  const opened = await store.openObject(bucket, key);
  if (!opened) return undefined;
  try {
    return await readAll(opened.read());
  } finally {
    opened.close();
  }
}

/** Asserts that `promise` rejects with a StoreError of `code`. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof StoreError, `expected StoreError ${code}, got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  });
}

/** Polls `check` (every 10 ms, up to 2 s) until it stops throwing: for deferred deletions. */
export async function eventually(check: () => Promise<void>): Promise<void> {
  const until = Date.now() + 2000;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
