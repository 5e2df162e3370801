/**
 * The console's one `CosS3Client`: the browser build of `@coskit/client` (fetch/XHR, q-sign in the
 * page), talking to the server that served this page. `IP` + `Port` name this page's own origin,
 * so requests go path style (`/<bucket>/<key>`) to the same origin: no CORS is involved, and the
 * server checks each request's signature like any other client's.
 */
import { CosConfig, CosS3Client } from '@coskit/client';
import type { ConsoleCredentials } from './session.js';

export type Cos = CosS3Client;

export function connect(credentials: ConsoleCredentials, region: string): Cos {
  const https = location.protocol === 'https:';
  return new CosS3Client(
    new CosConfig({
      Region: region,
      SecretId: credentials.secretId,
      SecretKey: credentials.secretKey,
      Scheme: https ? 'https' : 'http',
      IP: location.hostname.replace(/^\[|\]$/g, ''),
      Port: location.port ? Number(location.port) : https ? 443 : 80,
    }),
  );
}
