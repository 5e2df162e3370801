/** What the server tells its console (`/_console/config.json`, written by the server at start). */
import type { ConsoleCredentials } from './session.js';

export interface ServerConfig {
  /** The region the server reports; signatures name it. */
  readonly region: string;
  /** The development key pair, when the server runs without keys of its own; else null. */
  readonly developmentCredential: ConsoleCredentials | null;
}

export async function loadServerConfig(): Promise<ServerConfig> {
  const r = await fetch('config.json', { cache: 'no-cache' });
  if (!r.ok) throw new Error(`config.json: HTTP ${r.status}`);
  const body = (await r.json()) as Partial<ServerConfig>;
  return {
    region: typeof body.region === 'string' ? body.region : 'ap-guangzhou',
    developmentCredential: body.developmentCredential ?? null,
  };
}
