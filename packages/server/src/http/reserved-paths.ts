/**
 * Paths of the server itself, answered ahead of bucket routing and authentication, on a host that
 * names no bucket (an IP address or plain host name, i.e. path style):
 *
 * | path | what |
 * |---|---|
 * | `/_coskit/health` | liveness probe |
 * | `/_console`, `/_console/…` | the web console (`ServerOptions.consoleDir`); `404 NoSuchBucket` when it is off |
 *
 * `_` is never part of a bucket name, so no bucket or object is shadowed, and every other path
 * still goes through addressing and signature checks. On a bucket's own host (`<bucket>.cos…`,
 * `<bucket>.localhost`) the same paths are ordinary object keys.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveAddress } from './addressing.js';
import { CONSOLE_PREFIX, type ConsoleAssets } from './console-assets.js';
import { CosHttpError } from './cos-http-error.js';

export const RESERVED_PREFIX = '/_coskit/';

/** Answers one reserved request; `method` is upper-case. */
export type ReservedHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
) => void | Promise<void>;

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

const SERVER_PATHS: Readonly<Record<string, ReservedHandler>> = { health };

/** `/_console` without its slash: the page's relative asset URLs need the slash, so redirect. */
function toConsoleRoot(_req: IncomingMessage, res: ServerResponse, method: string): void {
  if (method !== 'GET' && method !== 'HEAD') {
    throw new CosHttpError('MethodNotAllowed', 'The console answers GET and HEAD only.');
  }
  res.writeHead(301, { Location: CONSOLE_PREFIX, 'Content-Length': 0 });
  res.end();
}

/** The console path when the server runs without one. */
function consoleOff(): never {
  throw new CosHttpError(
    'NoSuchBucket',
    'This server runs without its web console (coskit serve --no-console); "_console" is no bucket.',
  );
}

/** The reserved paths of one server: health always, the console when it has one. */
export class ReservedPaths {
  /** @param consoleAssets - the console's files; undefined = no console. */
  constructor(private readonly consoleAssets: ConsoleAssets | undefined) {}

  /** The handler `rawPath` names on `host`, if any: `{ name, handle }` (`name` is for the log). */
  route(host: string | undefined, rawPath: string): { name: string; handle: ReservedHandler } | undefined {
    const found = this.#match(rawPath);
    // Only where no bucket is named by the host: on `<bucket>.cos…` this is an object key.
    if (!found || resolveAddress(host, '/').bucket !== undefined) return undefined;
    return found;
  }

  #match(rawPath: string): { name: string; handle: ReservedHandler } | undefined {
    if (rawPath.startsWith(RESERVED_PREFIX)) {
      const name = rawPath.slice(RESERVED_PREFIX.length);
      const handle = Object.hasOwn(SERVER_PATHS, name) ? SERVER_PATHS[name] : undefined;
      return handle ? { name, handle } : undefined;
    }
    if (rawPath !== '/_console' && !rawPath.startsWith(CONSOLE_PREFIX)) return undefined;
    const assets = this.consoleAssets;
    if (!assets) return { name: 'console', handle: consoleOff };
    if (rawPath === '/_console') return { name: 'console', handle: toConsoleRoot };
    const subPath = rawPath.slice(CONSOLE_PREFIX.length);
    return { name: 'console', handle: (req, res, method) => assets.serve(req, res, method, subPath) };
  }
}
