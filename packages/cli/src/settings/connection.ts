/**
 * Where a command connects and with which key: flags, then environment (`COSKIT_*`, then the
 * Tencent tools' TENCENTCLOUD_* and COS_*), then the profile (`--profile`, `COSKIT_PROFILE`, or
 * `default`), then coscli's `~/.cos.yaml`; with nothing configured, the local embedded server
 * (`coskit serve`) at its default address with the development key.
 */
import { UsageError } from '../usage-error.js';
import { type CosYaml, entryEndpoint, findBucketEntry, readCosYaml } from './cos-yaml.js';
import { DEVELOPMENT_KEY } from './development-key.js';
import { configPath, readConfig } from './profiles.js';

const LOCAL_ENDPOINT = 'http://127.0.0.1:9000';
const DEFAULT_REGION = 'ap-guangzhou';

export interface ConnectionFlags {
  profile?: string;
  secretId?: string;
  secretKey?: string;
  token?: string;
  region?: string;
  endpoint?: string;
}

export interface Connection {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token: string | undefined;
  readonly region: string;
  /** A COS-compatible server's base URL, or undefined for real COS. */
  readonly endpoint: string | undefined;
  /** True when nothing was configured and the local embedded server is used. */
  readonly isLocalDefault: boolean;
  /**
   * Regions of other buckets, when the region came from ~/.cos.yaml: a copy's source bucket may
   * live elsewhere than the bucket the command connects for (see {@link regionOf}).
   */
  readonly bucketRegions?: ReadonlyMap<string, string>;
}

/** The region of `bucket`: its ~/.cos.yaml entry's when the connection's region came from there. */
export function regionOf(conn: Connection, bucket: string): string {
  return conn.bucketRegions?.get(bucket) ?? conn.region;
}

/**
 * What ~/.cos.yaml gives a command on `bucket`: the keys, and the region and endpoint of that
 * bucket's entry — or, for a bucket it does not list, of its first entry.
 */
function cosYamlValues(yaml: CosYaml, bucket: string | undefined): Partial<Record<Field, string>> {
  const entry = bucket === undefined ? undefined : findBucketEntry(yaml, bucket);
  const values: Partial<Record<Field, string | undefined>> = {
    secretId: yaml.secretId,
    secretKey: yaml.secretKey,
    token: yaml.token,
    region: entry ? (entry.region ?? yaml.region) : yaml.region,
    endpoint: entry ? entryEndpoint(yaml, entry) : yaml.endpoint,
  };
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/**
 * A bare `host[:port]` (as coscli's endpoint is written) as a URL: `http://` for a loopback or
 * private address (a local server), else `https://`. A URL is returned as it is.
 */
export function normalizeEndpoint(endpoint: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)) return endpoint;
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?\/?$/i.test(endpoint)) return endpoint;
  const host = endpoint.replace(/:\d+\/?$/, '').replace(/^\[|\]$/g, '');
  const local =
    host === 'localhost' ||
    host === '::1' ||
    /^127\./.test(host) ||
    /^10\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host);
  return `${local ? 'http' : 'https'}://${endpoint}`;
}

/** `http(s)://host[:port]` with nothing after the authority. */
export function checkEndpoint(endpoint: string): void {
  let ok = /^https?:\/\/[^/?#\s]+\/?$/.test(endpoint);
  if (ok) {
    try {
      const url = new URL(endpoint);
      ok = url.hostname !== '' && url.username === '' && url.password === '';
    } catch {
      ok = false;
    }
  }
  if (!ok)
    throw new UsageError(`--endpoint must look like http://host:port or https://host; got "${endpoint}".`);
}

/** COS region names: `ap-guangzhou`, `na-ashburn`, … */
export function checkRegion(region: string): void {
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(region)) {
    throw new UsageError(`--region must be a COS region name like ap-guangzhou; got "${region}".`);
  }
}

type Field = 'secretId' | 'secretKey' | 'token' | 'region' | 'endpoint';

/** One place settings come from, with the name of each field there (a flag, a variable, a file). */
interface Layer {
  readonly values: Partial<Record<Field, string | undefined>>;
  readonly label: (field: Field) => string;
}

/** Where each setting of the connection came from, for `coskit config show`. */
export type Sources = Record<Field, string>;

function envLayer(names: Partial<Record<Field, string>>, env: NodeJS.ProcessEnv): Layer {
  const values: Partial<Record<Field, string>> = {};
  for (const [field, name] of Object.entries(names) as [Field, string][]) {
    const v = env[name];
    if (v !== undefined && v !== '') values[field] = v;
  }
  return { values, label: (field) => `env ${names[field]}` };
}

const FLAG_NAMES: Record<Field, string> = {
  secretId: '--secret-id',
  secretKey: '--secret-key',
  token: '--token',
  region: '--region',
  endpoint: '--endpoint',
};

/**
 * Resolves the connection: flags, then COSKIT_* variables, then the variables Tencent's tools use
 * (TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN, COS_SECRET_ID/COS_SECRET_KEY), then the profile,
 * then coscli's ~/.cos.yaml, then the local server. The key pair (and its token) comes whole from
 * the first place that has either half: halves from two places would never sign.
 */
export async function resolveConnection(flags: ConnectionFlags, bucket?: string): Promise<Connection> {
  return (await resolveConnectionWithSources(flags, bucket)).conn;
}

/**
 * The same with where each value came from. `bucket`: the bucket the command works on, whose
 * ~/.cos.yaml entry (if any) gives the region and endpoint of that file's layer.
 */
export async function resolveConnectionWithSources(
  flags: ConnectionFlags,
  bucket?: string,
): Promise<{ conn: Connection; sources: Sources; profile: string; profileSource: string }> {
  const env = process.env;
  const fromEnv = env['COSKIT_PROFILE'] !== undefined && env['COSKIT_PROFILE'] !== '';
  const profileName = flags.profile ?? (fromEnv ? env['COSKIT_PROFILE']! : 'default');
  const profileSource =
    flags.profile !== undefined ? '--profile' : fromEnv ? 'env COSKIT_PROFILE' : 'default';
  const config = await readConfig();
  const profile = config.profiles[profileName];
  if (profileSource !== 'default' && !profile) {
    const names = Object.keys(config.profiles);
    throw new UsageError(
      `profile "${profileName}"${profileSource === 'env COSKIT_PROFILE' ? ' (from COSKIT_PROFILE)' : ''} is not in the config file${names.length ? ` (there are: ${names.join(', ')})` : ''}; create it with: coskit config set --profile ${profileName} …`,
    );
  }
  const cosYaml = readCosYaml();
  const layers: Layer[] = [
    { values: { ...flags }, label: (f) => FLAG_NAMES[f] },
    envLayer(
      {
        secretId: 'COSKIT_SECRET_ID',
        secretKey: 'COSKIT_SECRET_KEY',
        token: 'COSKIT_TOKEN',
        region: 'COSKIT_REGION',
        endpoint: 'COSKIT_ENDPOINT',
      },
      env,
    ),
    envLayer(
      {
        secretId: 'TENCENTCLOUD_SECRETID',
        secretKey: 'TENCENTCLOUD_SECRETKEY',
        token: 'TENCENTCLOUD_SESSIONTOKEN',
      },
      env,
    ),
    envLayer({ secretId: 'COS_SECRET_ID', secretKey: 'COS_SECRET_KEY' }, env),
    { values: profile ?? {}, label: () => `profile "${profileName}" in ${configPath()}` },
    {
      values: cosYaml ? cosYamlValues(cosYaml, bucket) : {},
      label: (f) =>
        `${cosYaml?.path ?? '~/.cos.yaml'}${(f === 'region' || f === 'endpoint') && bucket !== undefined && findBucketEntry(cosYaml, bucket) ? ` (bucket ${bucket})` : ''}`,
    },
  ];
  const yamlLayer = layers.at(-1)!;
  const sources: Partial<Sources> = {};
  const pick = (field: Field): string | undefined => {
    for (const layer of layers) {
      const v = layer.values[field];
      if (v !== undefined && v !== '') {
        sources[field] = layer.label(field);
        return v;
      }
    }
    return undefined;
  };
  const keyLayer = layers.find((l) => l.values.secretId !== undefined || l.values.secretKey !== undefined);
  const secretId = keyLayer?.values.secretId;
  const secretKey = keyLayer?.values.secretKey;
  // A token belongs to its key pair: from the same place, or a token flag/variable given with it.
  const token = keyLayer
    ? (flags.token ?? (env['COSKIT_TOKEN'] || undefined) ?? keyLayer.values.token)
    : undefined;
  if (keyLayer) {
    sources.secretId = keyLayer.label('secretId');
    sources.secretKey = keyLayer.label('secretKey');
    sources.token =
      token === undefined
        ? 'none'
        : flags.token !== undefined
          ? '--token'
          : env['COSKIT_TOKEN']
            ? 'env COSKIT_TOKEN'
            : keyLayer.label('token');
  }
  const picked = pick('endpoint');
  const endpoint = picked === undefined ? undefined : normalizeEndpoint(picked);
  const region = pick('region') ?? DEFAULT_REGION;
  sources.region ??= 'default';
  const bucketRegions =
    cosYaml && sources.region === yamlLayer.label('region')
      ? new Map(cosYaml.buckets.flatMap((b) => (b.region === undefined ? [] : [[b.name, b.region] as const])))
      : undefined;
  if (endpoint !== undefined) checkEndpoint(endpoint);
  checkRegion(region);
  if ((secretId === undefined) !== (secretKey === undefined)) {
    throw new UsageError(
      `a SecretId needs its SecretKey (and the other way round), from the same place: ${keyLayer?.label(secretId === undefined ? 'secretKey' : 'secretId')} gives one without the other.`,
    );
  }
  if (secretId === undefined || secretKey === undefined) {
    const local = endpoint === undefined;
    return {
      conn: {
        secretId: DEVELOPMENT_KEY.secretId,
        secretKey: DEVELOPMENT_KEY.secretKey,
        token: undefined,
        region,
        endpoint: endpoint ?? LOCAL_ENDPOINT,
        isLocalDefault: local,
        ...(bucketRegions ? { bucketRegions } : {}),
      },
      sources: {
        secretId: 'the development key of coskit serve',
        secretKey: 'the development key of coskit serve',
        token: 'none',
        region: sources.region,
        endpoint: sources.endpoint ?? 'the local server of coskit serve',
      },
      profile: profileName,
      profileSource,
    };
  }
  return {
    conn: {
      secretId,
      secretKey,
      token,
      region,
      endpoint,
      isLocalDefault: false,
      ...(bucketRegions ? { bucketRegions } : {}),
    },
    sources: { token: 'none', endpoint: 'real COS', ...sources } as Sources,
    profile: profileName,
    profileSource,
  };
}
