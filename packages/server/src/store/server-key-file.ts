/**
 * The SSE-COS root key, kept in a file: `<dataDir>/sse-cos.key` by default (`coskit serve
 * --sse-key-file <path>` / `startServer({ sseKeyFile })` names another). The file holds the 32-byte
 * key in base64 (or as 32 raw bytes). It is created on first use — the first SSE-COS write — with
 * mode 0600, durably (temp file → fsync → link into place → directory fsync) before any blob it
 * encrypts is written, so a crash can never leave encrypted data whose key was not saved. Losing or
 * replacing the file makes every SSE-COS object unreadable (reads answer `403 InvalidObjectState`,
 * and the server warns at startup how many records it cannot decrypt): back it up with the data
 * directory, keep it out of the data directory's copies you share.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { newServerKey, type ServerKey, SSE_KEY_BYTES, serverKeyOf } from './encryption.js';

/** Where the SSE-COS key comes from: loaded once, on first use. */
export interface ServerKeySource {
  /** The key, created (and saved) if there is none yet. */
  get(): Promise<ServerKey>;
  /** The key if there is one, without creating it (for the startup check). */
  existing(): Promise<ServerKey | undefined>;
}

/** A key that lives only as long as the process (the memory store's default). */
export function ephemeralServerKey(): ServerKeySource {
  const key = newServerKey();
  return { get: () => Promise.resolve(key), existing: () => Promise.resolve(key) };
}

/** The key in `path`, created there on the first {@link ServerKeySource.get} if the file is missing. */
export function serverKeyFile(path: string): ServerKeySource {
  let loading: Promise<ServerKey> | undefined;
  return {
    get() {
      loading ??= loadOrCreate(path).catch((err: unknown) => {
        loading = undefined; // a later request may try again (e.g. after the disk is fixed)
        throw err;
      });
      return loading;
    },
    async existing() {
      if (loading) return loading;
      try {
        return parseKeyFile(path, await readFile(path));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
  };
}

function parseKeyFile(path: string, bytes: Buffer): ServerKey {
  if (bytes.byteLength === SSE_KEY_BYTES) return serverKeyOf(bytes);
  const text = bytes.toString('utf8').trim();
  const decoded = Buffer.from(text, 'base64');
  if (decoded.byteLength !== SSE_KEY_BYTES || decoded.toString('base64') !== text) {
    throw new Error(`SSE-COS key file ${path} must hold ${SSE_KEY_BYTES} bytes, raw or in base64.`);
  }
  return serverKeyOf(decoded);
}

async function loadOrCreate(path: string): Promise<ServerKey> {
  try {
    return parseKeyFile(path, await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = newServerKey();
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(`${key.key.toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // link, not rename: never replaces a key another process created meanwhile.
    await link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    await unlink(tmp).catch(() => {});
    return parseKeyFile(path, await readFile(path));
  }
  await unlink(tmp).catch(() => {});
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
  return key;
}
