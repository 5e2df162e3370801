/** Picks the backend a server runs on. */
import type { ServerConfig } from '../config.js';
import { LocalStore } from './local/local-store.js';
import { MemoryStore } from './memory/memory-store.js';
import { serverKeyFile } from './server-key-file.js';
import type { Store } from './store.js';

/** `onBackgroundError` hears failures of background work (the local store's compaction). */
export function openStore(
  config: Pick<ServerConfig, 'storage' | 'dataDir' | 'memoryLimitBytes' | 'sseKeyFile'>,
  onBackgroundError: (err: unknown) => void,
): Promise<Store> {
  const serverKey = config.sseKeyFile === undefined ? undefined : serverKeyFile(config.sseKeyFile);
  return config.storage === 'memory'
    ? Promise.resolve(
        new MemoryStore({ maxBytes: config.memoryLimitBytes, ...(serverKey ? { serverKey } : {}) }),
      )
    : LocalStore.open(config.dataDir, { onBackgroundError, ...(serverKey ? { serverKey } : {}) });
}
