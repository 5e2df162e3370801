/** A `CosS3Client` for a resolved connection. */
import { CosConfig, type CosConfigOptions, CosS3Client } from '@coskit/client';
import { CLI_VERSION } from '../version.js';
import type { Connection } from './connection.js';

function keys(conn: Connection): CosConfigOptions {
  return {
    Region: conn.region,
    SecretId: conn.secretId,
    SecretKey: conn.secretKey,
    ...(conn.token ? { Token: conn.token } : {}),
    UserAgent: `coskit-cli/${CLI_VERSION}`,
  };
}

/**
 * Real COS (https, virtual-host) without an endpoint; with `http(s)://host:port`, requests connect
 * there while keeping the real COS Host header, which `coskit serve` understands.
 */
export function clientFor(
  conn: Connection,
  options: { enableCrc?: boolean; onRequestEnd?: CosConfigOptions['OnRequestEnd'] } = {},
): CosS3Client {
  const base: CosConfigOptions = {
    ...keys(conn),
    EnableCRC: options.enableCrc ?? true,
    ...(options.onRequestEnd ? { OnRequestEnd: options.onRequestEnd } : {}),
  };
  if (conn.endpoint === undefined) return new CosS3Client(new CosConfig({ ...base, Scheme: 'https' }));
  const url = new URL(conn.endpoint);
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  return new CosS3Client(
    new CosConfig({
      ...base,
      Scheme: scheme,
      IP: url.hostname.replace(/^\[|\]$/g, ''),
      Port: url.port ? Number(url.port) : scheme === 'https' ? 443 : 80,
    }),
  );
}

/**
 * For pre-signed URLs: others will use the URL as is, so with an endpoint it must name that
 * endpoint (path style: `http://host:port/<bucket>/<key>?sign=…`) rather than a COS host name.
 */
export function presignClientFor(conn: Connection): CosS3Client {
  if (conn.endpoint === undefined) return clientFor(conn);
  const url = new URL(conn.endpoint);
  return new CosS3Client(
    new CosConfig({
      ...keys(conn),
      Scheme: url.protocol === 'https:' ? 'https' : 'http',
      Endpoint: url.host,
      ForcePathStyle: true,
    }),
  );
}
