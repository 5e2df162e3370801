/**
 * coscli's configuration file, `~/.cos.yaml` (or `$COSKIT_COS_YAML`), read so that people who
 * have set up coscli need nothing more:
 *
 *     cos:
 *       base:
 *         secretid: AKID…
 *         secretkey: …
 *         sessiontoken: ""
 *         protocol: https
 *       buckets:
 *         - name: examplebucket-1250000000
 *           alias: example
 *           region: ap-guangzhou
 *           endpoint: cos.ap-guangzhou.myqcloud.com
 *
 * Only read, never written. As in coscli, `cos://<alias>/…` names the bucket of that entry (an
 * alias is matched before a name), and a command on a listed bucket connects with that bucket's
 * region and endpoint (when the connection comes from this file: see settings/connection.ts).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface CosYamlBucket {
  readonly name: string;
  readonly alias?: string | undefined;
  readonly region?: string | undefined;
  readonly endpoint?: string | undefined;
}

export interface CosYaml {
  readonly path: string;
  readonly secretId?: string | undefined;
  readonly secretKey?: string | undefined;
  readonly token?: string | undefined;
  /** The region of the first bucket entry: for commands on a bucket the file does not list. */
  readonly region?: string | undefined;
  /** The first entry's endpoint when it is not a myqcloud.com domain (a COS-compatible server). */
  readonly endpoint?: string | undefined;
  readonly buckets: readonly CosYamlBucket[];
  /** `base.protocol`: the scheme of endpoints written without one. */
  readonly protocol: 'http' | 'https';
}

export function cosYamlPath(): string {
  return process.env['COSKIT_COS_YAML'] ?? join(homedir(), '.cos.yaml');
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/**
 * The file's settings, or undefined when there is no file; a file that does not parse is an
 * error. Read synchronously, once per path and process: `cos://` arguments (aliases) are resolved
 * while the command line is parsed, before any I/O.
 */
const cache = new Map<string, CosYaml | undefined>();
export function readCosYaml(path = cosYamlPath()): CosYaml | undefined {
  if (cache.has(path)) return cache.get(path);
  let source: string | undefined;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  const parsed = source === undefined ? undefined : parseCosYaml(path, source);
  cache.set(path, parsed);
  return parsed;
}

/** The entry a `cos://` bucket part names: by alias first, then by name (coscli's FindBucket). */
export function findBucketEntry(yaml: CosYaml | undefined, nameOrAlias: string): CosYamlBucket | undefined {
  if (!yaml) return undefined;
  return (
    yaml.buckets.find((b) => b.alias === nameOrAlias) ?? yaml.buckets.find((b) => b.name === nameOrAlias)
  );
}

/**
 * An entry's endpoint as coskit uses it: undefined for a `*.myqcloud.com` domain (real COS, found
 * from the region), else a URL (`base.protocol`'s scheme when written without one).
 */
export function entryEndpoint(yaml: CosYaml, entry: CosYamlBucket): string | undefined {
  const endpoint = entry.endpoint;
  if (endpoint === undefined || /\.myqcloud\.com$/i.test(endpoint)) return undefined;
  return /^https?:\/\//.test(endpoint) ? endpoint : `${yaml.protocol}://${endpoint}`;
}

function parseCosYaml(path: string, source: string): CosYaml {
  let doc: unknown;
  try {
    doc = parse(source);
  } catch (err) {
    throw new Error(`${path} is not valid YAML: ${(err as Error).message}`);
  }
  const cos = (doc as { cos?: { base?: Record<string, unknown>; buckets?: unknown } } | null)?.cos;
  const base = cos?.base ?? {};
  const buckets: CosYamlBucket[] = Array.isArray(cos?.buckets)
    ? (cos.buckets as Record<string, unknown>[])
        .filter((b) => text(b?.['name']) !== undefined)
        .map((b) => ({
          name: text(b['name'])!,
          alias: text(b['alias']),
          region: text(b['region']),
          endpoint: text(b['endpoint']),
        }))
    : [];
  const first = buckets[0];
  const yaml: CosYaml = {
    path,
    secretId: text(base['secretid']),
    secretKey: text(base['secretkey']),
    token: text(base['sessiontoken']),
    region: first?.region,
    buckets,
    protocol: text(base['protocol']) === 'http' ? 'http' : 'https',
  };
  return first ? { ...yaml, endpoint: entryEndpoint(yaml, first) } : yaml;
}
