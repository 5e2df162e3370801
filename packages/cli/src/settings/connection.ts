/**
 * Where a command connects and with which key: flags, then environment (`COSKIT_*`), then the
 * profile (`--profile`, `COSKIT_PROFILE`, or `default`); with nothing configured, the local
 * embedded server (`coskit serve`) at its default address with the development key.
 */
import { UsageError } from '../usage-error.js';
import { DEVELOPMENT_KEY } from './development-key.js';
import { readConfig } from './profiles.js';

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

export async function resolveConnection(flags: ConnectionFlags): Promise<Connection> {
  const env = process.env;
  const profileName = flags.profile ?? env['COSKIT_PROFILE'] ?? 'default';
  const config = await readConfig();
  const profile = config.profiles[profileName];
  if (flags.profile && !profile) {
    throw new UsageError(
      `profile "${flags.profile}" is not in the config file; create it with: coskit config set --profile ${flags.profile} …`,
    );
  }
  const secretId = flags.secretId ?? env['COSKIT_SECRET_ID'] ?? profile?.secretId;
  const secretKey = flags.secretKey ?? env['COSKIT_SECRET_KEY'] ?? profile?.secretKey;
  const endpoint = flags.endpoint ?? env['COSKIT_ENDPOINT'] ?? profile?.endpoint;
  const region = flags.region ?? env['COSKIT_REGION'] ?? profile?.region ?? DEFAULT_REGION;
  const token = flags.token ?? env['COSKIT_TOKEN'] ?? profile?.token;
  if (endpoint !== undefined) checkEndpoint(endpoint);
  checkRegion(region);
  if ((secretId === undefined) !== (secretKey === undefined)) {
    throw new UsageError('a SecretId needs its SecretKey (and the other way round): set both.');
  }
  if (secretId === undefined || secretKey === undefined) {
    return {
      secretId: DEVELOPMENT_KEY.secretId,
      secretKey: DEVELOPMENT_KEY.secretKey,
      token: undefined,
      region,
      endpoint: endpoint ?? LOCAL_ENDPOINT,
      isLocalDefault: endpoint === undefined,
    };
  }
  return { secretId, secretKey, token, region, endpoint, isLocalDefault: false };
}
