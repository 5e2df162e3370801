/**
 * Paths of the server itself, answered ahead of bucket routing and authentication: `/_coskit/<name>`
 * on a host that names no bucket (an IP address or plain host name, i.e. path style). `_` is never
 * part of a bucket name, so no bucket or object is shadowed; on a bucket's own host the same path is
 * an ordinary object key. Today there is `health`; a web console would be mounted here too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveAddress } from './addressing.js';
import { CosHttpError } from './cos-http-error.js';

export const RESERVED_PREFIX = '/_coskit/';

type ReservedHandler = (req: IncomingMessage, res: ServerResponse, method: string) => void | Promise<void>;

/**
 * `GET|HEAD /_coskit/health`: 200 `{"status":"ok"}` while the server accepts requests. It needs no
 * signature and says nothing about what is stored, so load balancers and test harnesses can poll it.
 */
function health(_req: IncomingMessage, res: ServerResponse, method: string): void {
  if (method !== 'GET' && method !== 'HEAD') throw new CosHttpError('MethodNotAllowed', 'Use GET or HEAD.');
  const body = '{"status":"ok"}\n';
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(method === 'HEAD' ? undefined : body);
}

const RESERVED: Readonly<Record<string, ReservedHandler>> = { health };

/** The reserved handler `rawPath` names on `host`, if any: `{ name, handle }`. */
export function reservedRoute(
  host: string | undefined,
  rawPath: string,
): { name: string; handle: ReservedHandler } | undefined {
  if (!rawPath.startsWith(RESERVED_PREFIX)) return undefined;
  const name = rawPath.slice(RESERVED_PREFIX.length);
  const handle = Object.hasOwn(RESERVED, name) ? RESERVED[name] : undefined;
  if (!handle) return undefined;
  // Only where no bucket is named by the host: on `<bucket>.cos…` this is an object key.
  if (resolveAddress(host, '/').bucket !== undefined) return undefined;
  return { name, handle };
}
