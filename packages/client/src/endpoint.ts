/** Where a request for (bucket, key) goes: the Host header, the connection address and the path. */
import { encodeKeyPath } from '@coskit/protocol';
import type { CosConfig } from './config.js';

export interface RequestTarget {
  /** Host header (and signed `host`). */
  readonly host: string;
  /** Address and port to connect to. */
  readonly connectHost: string;
  readonly connectPort: number;
  /** Encoded path on the request line. */
  readonly path: string;
  /** Decoded path the signature covers. */
  readonly signedPath: string;
}

function splitHostPort(hostPort: string): { host: string; port: number | undefined } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  return m
    ? { host: m[1]!.replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : undefined }
    : { host: hostPort, port: undefined };
}

/**
 * Resolves a request; `bucket` undefined = service level (GET Service).
 * @param setsHost - False where the runtime takes the Host header from the URL (a browser): with
 *   `IP`, the request then goes path style to `IP:Port` itself, since no other Host can be sent.
 */
export function targetOf(
  config: CosConfig,
  bucket: string | undefined,
  key: string,
  setsHost = true,
): RequestTarget {
  const encoded = `/${encodeKeyPath(key)}`;
  let host: string;
  let path = encoded;
  let signedPath = `/${key}`;
  if (!setsHost && config.ip) {
    const address = config.ip.includes(':') ? `[${config.ip}]` : config.ip;
    host = `${address}:${config.port}`;
    if (bucket !== undefined && !config.domain) {
      path = `/${bucket}${encoded}`;
      signedPath = `/${bucket}/${key}`;
    }
  } else if (config.domain) {
    host = config.domain;
  } else if (bucket === undefined) {
    host = config.endpoint ?? 'service.cos.myqcloud.com';
  } else if (config.forcePathStyle) {
    host = config.endpointSuffix;
    path = `/${bucket}${encoded}`;
    signedPath = `/${bucket}/${key}`;
  } else {
    host = `${bucket}.${config.endpointSuffix}`;
  }
  const parsed = splitHostPort(host);
  const defaultPort = config.scheme === 'https' ? 443 : 80;
  return {
    host: parsed.port !== undefined && parsed.port !== defaultPort ? host : parsed.host,
    connectHost: config.ip ?? parsed.host,
    connectPort: config.ip ? config.port : (parsed.port ?? config.port),
    path,
    signedPath,
  };
}
