/** Picks the backend a server runs on. */
import type { ServerConfig } from '../config.js';
import { LocalStore } from './local/local-store.js';
import { MemoryStore } from './memory/memory-store.js';
import type { Store } from './store.js';

/** `onBackgroundError` hears failures of background work (the local store's compaction). */
export function openStore(
  config: Pick<ServerConfig, 'storage' | 'dataDir' | 'memoryLimitBytes'>,
  onBackgroundError: (err: unknown) => void,
): Promise<Store> {
  return config.storage === 'memory'
    ? Promise.resolve(new MemoryStore({ maxBytes: config.memoryLimitBytes }))
    : LocalStore.open(config.dataDir, { onBackgroundError });
}
