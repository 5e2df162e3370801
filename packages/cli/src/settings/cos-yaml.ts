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
 * Only read, never written.
 */
import { readFile } from 'node:fs/promises';
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
  /** The region of the first bucket entry (coskit has one region per command). */
  readonly region?: string | undefined;
  /** A bucket endpoint that is not a myqcloud.com domain: a COS-compatible server. */
  readonly endpoint?: string | undefined;
  readonly buckets: readonly CosYamlBucket[];
}

export function cosYamlPath(): string {
  return process.env['COSKIT_COS_YAML'] ?? join(homedir(), '.cos.yaml');
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/** The file's settings, or undefined when there is no file. A file that does not parse is an error. */
export async function readCosYaml(path = cosYamlPath()): Promise<CosYaml | undefined> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
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
  const protocol = text(base['protocol']) === 'http' ? 'http' : 'https';
  const custom = first?.endpoint && !/\.myqcloud\.com$/i.test(first.endpoint) ? first.endpoint : undefined;
  return {
    path,
    secretId: text(base['secretid']),
    secretKey: text(base['secretkey']),
    token: text(base['sessiontoken']),
    region: first?.region,
    endpoint:
      custom === undefined ? undefined : /^https?:\/\//.test(custom) ? custom : `${protocol}://${custom}`,
    buckets,
  };
}
