/**
 * Named profiles in `~/.coskit/config.json` (override with `COSKIT_CONFIG`): credentials, region
 * and endpoint, so commands need no flags. The file holds secrets: it is written mode 0600.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Profile {
  secretId?: string;
  secretKey?: string;
  token?: string;
  region?: string;
  /** `http(s)://host[:port]` of a COS-compatible server; absent = real COS. */
  endpoint?: string;
}

export interface ConfigFile {
  profiles: Record<string, Profile>;
}

export function configPath(): string {
  return process.env['COSKIT_CONFIG'] ?? join(homedir(), '.coskit', 'config.json');
}

export async function readConfig(path = configPath()): Promise<ConfigFile> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<ConfigFile>;
    return { profiles: parsed.profiles ?? {} };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
}

export async function writeConfig(config: ConfigFile, path = configPath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}
