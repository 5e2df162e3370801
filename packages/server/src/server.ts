/** Starting and stopping the COS-compatible server. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { buildErrorBody } from '@coskit/protocol';
import { type Logger, pino } from 'pino';
import { resolveConfig, type ServerConfig, type ServerOptions } from './config.js';
import { CONSOLE_PREFIX, ConsoleAssets } from './http/console-assets.js';
import { dispatch } from './http/dispatch.js';
import { isLingering, lingerOnClose } from './http/lingering-close.js';
import { newRequestId } from './http/request-id.js';
import { ReservedPaths } from './http/reserved-paths.js';
import { warmUpListing } from './http/warm-up.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

/** A server that is listening. */
export interface RunningServer {
  /** `http://HOST:PORT` */
  readonly url: string;
  /** `http://HOST:PORT/_console/` when the server has a console (`consoleDir`). */
  readonly consoleUrl: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly config: ServerConfig;
  readonly store: Store;
  /** Stops accepting connections, lets in-flight requests finish (up to 5 s), closes the store. */
  close(): Promise<void>;
}

/** Headers larger than this never reach a handler; Node answers them through `clientError`. */
const NODE_MAX_HEADER_SIZE = 64 * 1024;

function rawErrorResponse(status: number, reason: string, code: string, message: string): string {
  const requestId = newRequestId();
  const body = buildErrorBody({
    Code: code,
    Message: message,
    Resource: '/',
    RequestId: requestId,
    TraceId: requestId,
  });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\nx-cos-request-id: ${requestId}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * What the console page learns from the server (`/_console/config.json`): the region to sign for,
 * and the development key pair when the server accepts it (it is public and printed at start),
 * so that the sign-in page can offer it. A server with keys of its own reveals none.
 */
function consoleFiles(config: ServerConfig): Record<string, string> {
  const development = config.usingDevelopmentCredential ? [...config.credentials.values()][0] : undefined;
  return {
    'config.json': JSON.stringify({
      region: config.region,
      developmentCredential: development
        ? { secretId: development.secretId, secretKey: development.secretKey }
        : null,
    }),
  };
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const config = resolveConfig(options);
  // Before anything is opened: a console that is not built fails the start, saying what to do.
  const reserved = new ReservedPaths(
    config.consoleDir ? ConsoleAssets.load(config.consoleDir, consoleFiles(config)) : undefined,
  );
  const log: Logger = pino(
    { level: config.logLevel, base: undefined },
    options.logDestination ?? process.stderr,
  );
  const store = await openStore(config, (err) => log.warn({ err }, 'background store work failed'));
  const recovered = await store.recover();
  if (recovered.tempFiles + recovered.garbageBlobs > 0)
    log.info(recovered, 'recovery freed unfinished writes');
  const startedAt = Date.now();
  await warmUpListing(store);

  /** The response being produced on each connection (see the clientError handler). */
  const inFlight = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse }>();
  const server: Server = createServer(
    {
      maxHeaderSize: NODE_MAX_HEADER_SIZE,
      keepAliveTimeout: config.keepAliveTimeoutMs,
      headersTimeout: config.headersTimeoutMs,
      // No bound on a whole request (a 5 GiB upload at 100 KB/s takes hours); stalls are caught by
      // requestIdleTimeoutMs in dispatch instead.
      requestTimeout: 0,
      // How often Node checks headersTimeout: often enough that a slow client is cut within ~25 %.
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(config.headersTimeoutMs / 4))),
    },
    (req, res) => {
      inFlight.set(req.socket, { req, res });
      dispatch(req, res, { store, config, log, reserved }).catch((err: unknown) => {
        // dispatch answers every error itself; this is the last guard so nothing can crash the server.
        log.error({ err }, 'request failed while reporting an error');
        res.destroy();
      });
    },
  );
  server.maxConnections = config.maxConnections;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // One parse error per further chunk of a connection already closing gently: it closes once.
    // (Checked before `writable`: a half-closed socket is not writable but must keep reading.)
    if (isLingering(socket)) return;
    if (!socket.writable) return socket.destroy();
    const exchange = inFlight.get(socket);
    const current = exchange?.res;
    if (exchange && current && exchange.req.complete && !current.writableFinished) {
      // Bytes after a complete request that do not parse as the next one — a body longer than its
      // Content-Length. COS stores the first Content-Length bytes: let that request's response
      // reach the client first, then half-close and drop the rest (never a reset over the answer).
      lingerOnClose(socket);
      if (!current.headersSent) current.shouldKeepAlive = false;
      current.once('finish', () => socket.destroySoon());
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    socket.end(
      timedOut
        ? rawErrorResponse(
            400,
            'Bad Request',
            'RequestTimeout',
            `The request headers did not arrive within ${config.headersTimeoutMs} ms.`,
          )
        : tooLarge
          ? rawErrorResponse(
              400,
              'Bad Request',
              'RequestHeaderSectionTooLarge',
              'Your request header section exceeds the maximum allowed size.',
            )
          : rawErrorResponse(
              400,
              'Bad Request',
              'InvalidRequest',
              'The request could not be parsed as HTTP/1.1.',
            ),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  // A replaced or lost SSE-COS key file makes objects unreadable: say so once, without delaying startup.
  const keyCheck = store.countForeignSseCos().then(
    (records) =>
      records > 0 &&
      log.warn(
        { records, keyFile: config.sseKeyFile ?? 'sse-cos.key in the data directory' },
        'SSE-COS objects or uploads are encrypted under a server key this server does not have (its key file was replaced or lost): they answer 403 InvalidObjectState until the original key file is restored',
      ),
    (err) => log.warn({ err }, 'SSE-COS key check failed'),
  );
  // Orphan blobs of a crashed process only waste space: free them without delaying startup.
  const sweep = store.sweep(startedAt).then(
    (n) => n > 0 && log.info({ orphanBlobs: n }, 'recovery freed orphan blobs'),
    (err) => log.warn({ err }, 'orphan sweep failed'),
  );

  return {
    url: `http://${host}:${port}`,
    consoleUrl: config.consoleDir ? `http://${host}:${port}${CONSOLE_PREFIX}` : undefined,
    host: config.host,
    port,
    config,
    store,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
      await sweep;
      await keyCheck;
      await store.close();
    },
  };
}
