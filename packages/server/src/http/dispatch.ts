/**
 * One request, start to end: reserved paths (health, console) → address → query →
 * authentication → route → access → handler, with every failure rendered as a COS `<Error>` and
 * one structured log line per request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type CosErrorCode,
  checkBucketName,
  checkObjectKey,
  isCosErrorCode,
  LIMITS,
  parseQuery,
} from '@coskit/protocol';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.js';
import type { Store } from '../store/store.js';
import { StoreError } from '../store/store-error.js';
import { authorize } from './access.js';
import { parseRequestTarget, resolveAddress } from './addressing.js';
import { type AuthInput, authenticate, dialectOfRequest, type Principal } from './auth.js';
import { applyCorsHeaders, corsRulesFor } from './cors.js';
import { CosHttpError } from './cos-http-error.js';
import { answerInDialect, type Dialect } from './dialect.js';
import { lingerOnClose } from './lingering-close.js';
import type { RequestContext } from './request-context.js';
import { newRequestId } from './request-id.js';
import type { ReservedPaths } from './reserved-paths.js';
import { commonHeaders, sendError } from './responses.js';
import { HANDLERS, type Operation, route } from './router.js';

export interface DispatchDeps {
  readonly store: Store;
  readonly config: ServerConfig;
  readonly log: Logger;
  /** The server's own paths (health, console), answered before bucket routing. */
  readonly reserved: ReservedPaths;
}

function headerBytes(req: IncomingMessage): number {
  let total = 0;
  for (const part of req.rawHeaders) total += Buffer.byteLength(part) + 2;
  return total;
}

export async function dispatch(req: IncomingMessage, res: ServerResponse, deps: DispatchDeps): Promise<void> {
  const started = performance.now();
  const requestId = newRequestId();
  commonHeaders(res, requestId);
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '/';
  let bucket: string | undefined;
  let key = '';
  let op: Operation | undefined;
  let reserved: string | undefined;
  let resource = url.split('?')[0]!;
  let dialect: Dialect = 'cos';
  /** S3's `<Resource>`: the path addressed. */
  let path = resource;
  watchIdle(req, res, deps.config.requestIdleTimeoutMs, () =>
    sendError(res, method, {
      code: 'RequestTimeout',
      message: `No request bytes arrived for ${deps.config.requestIdleTimeoutMs} ms.`,
      resource,
      path,
      requestId,
    }),
  );
  try {
    if (headerBytes(req) > LIMITS.maxRequestHeaderBytes) {
      throw new CosHttpError(
        'RequestHeaderSectionTooLarge',
        `Request headers exceed ${LIMITS.maxRequestHeaderBytes} bytes.`,
      );
    }
    const target = parseRequestTarget(url, req.headers.host);
    const own = deps.reserved.route(target.host, target.rawPath);
    if (own) {
      reserved = own.name;
      await own.handle(req, res, method);
      return;
    }
    const address = resolveAddress(target.host, target.rawPath);
    bucket = address.bucket;
    key = address.key;
    const region = address.region ?? deps.config.region;
    resource = bucket ? `${bucket}.cos.${region}.myqcloud.com/${key}` : resource;
    path = bucket ? `/${bucket}${key === '' ? '' : `/${key}`}` : '/';
    const query = parseQuery(target.rawQuery);
    if (!query) throw new CosHttpError('InvalidURI', 'The query string has a malformed percent-escape.');
    let header = (name: string): string | undefined => {
      if (name === 'host') return target.host; // the absolute-form authority, when there is one
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(', ') : v;
    };
    // Before authentication, so that a page can read a refusal too.
    applyCorsHeaders(res, await corsRulesFor(deps.store, deps.config, bucket), header('origin'), method);
    const authInput: AuthInput = {
      method,
      signedPaths: address.signedPaths,
      query,
      header,
      nowSeconds: Math.floor(Date.now() / 1000),
      req,
      rawPath: target.rawPath,
      region,
    };
    // Picked by the signature's form, before it is checked, so that a refusal speaks the dialect too.
    dialect = dialectOfRequest(authInput);
    answerInDialect(res, dialect);
    // A preflight is never authenticated: a browser sends it without credentials, also to a
    // pre-signed URL whose query carries the signature of the actual (PUT, GET…) request.
    const auth =
      method === 'OPTIONS'
        ? { principal: { kind: 'anonymous' } as const, header: undefined, headerNames: undefined }
        : authenticate(authInput, deps.config.credentials);
    const principal: Principal = auth.principal;
    if (auth.header) header = auth.header;
    const headerNames = auth.headerNames ?? Object.keys(req.headers);
    // A name no bucket can have is refused before any lookup (and long ones never reach the index).
    const badBucket = bucket === undefined ? undefined : checkBucketName(bucket);
    if (badBucket) throw new CosHttpError(badBucket.code, badBucket.message);
    if (key !== '') {
      const problem = checkObjectKey(key);
      if (problem) throw new CosHttpError(problem.code, problem.message);
    }
    const names = new Set(query.map(([n]) => n));
    const has = (name: string) => names.has(name);
    op = route({
      method,
      serviceLevel: bucket === undefined,
      bucketLevel: key === '',
      names: query.map(([n]) => n),
      header,
    });
    const versionId = query.find(([n]) => n === 'versionId')?.[1];
    await authorize(principal, op, deps.store, bucket, key, versionId);
    const ctx: RequestContext = {
      req,
      body: auth.body ?? { stream: req },
      res,
      store: deps.store,
      config: deps.config,
      log: deps.log,
      requestId,
      method,
      bucket,
      key,
      region,
      query,
      param: (name) => query.find(([n]) => n === name)?.[1],
      has,
      header,
      headerNames,
      dialect,
      principal,
      resource,
    };
    await HANDLERS[op](ctx, bucket ?? '');
  } catch (err) {
    if (res.headersSent) {
      // The body was already streaming (a GET whose source failed): all we can do is cut it.
      deps.log.warn({ requestId, err: String(err) }, 'response aborted after headers were sent');
      res.destroy();
    } else if (cosCodeOf(err)) {
      const e = err as Error;
      const code = cosCodeOf(err)!;
      if (!req.complete) closeAfterAnswer(req, res);
      sendError(res, method, {
        code,
        message: e.message === code ? undefined : e.message,
        resource,
        path,
        requestId,
        extra: err instanceof CosHttpError ? err.extra : undefined,
      });
    } else if (req.destroyed || isAbort(err)) {
      res.destroy(); // the client went away mid-body: nothing was stored, nobody to answer
    } else {
      deps.log.error({ requestId, err }, 'internal error');
      sendError(res, method, { code: 'InternalError', resource, path, requestId });
    }
  } finally {
    const done = () =>
      deps.log.info(
        {
          requestId,
          method,
          op: op ?? reserved,
          bucket,
          key,
          status: res.statusCode,
          bytesIn: Number(req.headers['content-length'] ?? 0),
          bytesOut: Number(res.getHeader('content-length') ?? 0),
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    if (res.writableFinished) done();
    else res.once('close', done);
  }
}

/**
 * Cuts a request whose socket stays silent for `ms`: while the client still owes body bytes it is
 * answered (`answer`, then the connection closes); a client that stopped reading its response is
 * disconnected. While the whole request is in and the server is still working (fsync, Complete),
 * silence is the server's and nothing happens.
 */
function watchIdle(req: IncomingMessage, res: ServerResponse, ms: number, answer: () => void): void {
  if (ms <= 0) return;
  res.setTimeout(ms, () => {
    if (!req.complete) {
      if (res.headersSent) return void req.socket.destroy();
      res.shouldKeepAlive = false;
      res.once('finish', () => req.socket.destroySoon());
      answer();
    } else if (res.headersSent) {
      req.socket.destroy();
    }
  });
}

/**
 * An error answered before the request body was read to its end (refused before or while reading,
 * the client still sending): the connection ends — what is left may be gigabytes — but gently: the
 * answer says `Connection: close`, then the server half-closes and lingers (lingering-close.ts).
 */
function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  const socket = res.socket ?? req.socket;
  if (!socket || socket.destroyed) return;
  res.shouldKeepAlive = false;
  lingerOnClose(socket);
}

/** The COS code an error carries: ours (`code`) or a protocol codec's (`cosCode`). */
function cosCodeOf(err: unknown): CosErrorCode | undefined {
  if (err instanceof CosHttpError || err instanceof StoreError) return err.code;
  const code = (err as { cosCode?: unknown } | undefined)?.cosCode;
  return typeof code === 'string' && isCosErrorCode(code) ? code : undefined;
}

function isAbort(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return (
    code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error)?.message === 'aborted'
  );
}
