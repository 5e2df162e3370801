/**
 * `coskit serve`: the embedded COS-compatible server. The server package (LMDB, pino) is imported
 * only when the command runs, so every other command and `--help` start without it.
 */

import { access, constants, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Credential } from '@coskit/server';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { humanLogStream } from '../output/serve-log.js';
import { UsageError } from '../usage-error.js';

/**
 * `--data` must be a folder the server can write, checked (and created) before the store opens.
 * Level by level, not `mkdir({ recursive: true })`: under /proc that call never returns.
 */
async function checkDataDir(dir: string): Promise<void> {
  try {
    const missing: string[] = [];
    let existing = resolve(dir);
    for (;;) {
      const info = await stat(existing).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      if (info) {
        if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
        break;
      }
      missing.unshift(existing);
      const parent = dirname(existing);
      if (parent === existing) break;
      existing = parent;
    }
    await access(existing, constants.W_OK | constants.X_OK);
    for (const path of missing) await mkdir(path);
    await access(resolve(dir), constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new CliError(
      EXIT.fatal,
      `cannot write to --data "${dir}" (${code}): give a folder this user can create and write, or --memory.`,
    );
  }
}

interface ServeOptions {
  host: string;
  port: string;
  data: string;
  memory?: boolean;
  secretId?: string;
  secretKey?: string;
  region: string;
  logLevel: string;
  logFormat?: string;
  cors?: string;
  headersTimeout?: string;
  requestIdleTimeout?: string;
  keepAliveTimeout?: string;
  maxConnections?: string;
  /** false with `--no-console`. */
  console: boolean;
  sseKeyFile?: string;
  allowSseCOverHttp?: boolean;
}

/**
 * The connection-limit flags → ServerOptions names. Their defaults live in the server
 * (`CONNECTION_DEFAULTS`, not imported here so that `--help` does not load the server); the help
 * text repeats them.
 */
const LIMIT_FLAGS = [
  { flag: '--headers-timeout', option: 'headersTimeout', server: 'headersTimeoutMs', min: 1 },
  { flag: '--request-idle-timeout', option: 'requestIdleTimeout', server: 'requestIdleTimeoutMs', min: 0 },
  { flag: '--keep-alive-timeout', option: 'keepAliveTimeout', server: 'keepAliveTimeoutMs', min: 1 },
  { flag: '--max-connections', option: 'maxConnections', server: 'maxConnections', min: 1 },
] as const;

/** The connection limits given on the command line, checked before the server starts. */
function connectionLimits(opts: ServeOptions): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { flag, option, server, min } of LIMIT_FLAGS) {
    const raw = opts[option];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
      throw new UsageError(`${flag} must be an integer ≥ ${min}; got "${raw}".`);
    }
    out[server] = n;
  }
  return out;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function registerServe(program: Command): void {
  program
    .command('serve')
    .summary('run the COS-compatible server (the default target of every command)')
    .description(
      'Run the COS-compatible object server: the COS XML API and q-sign signatures, with durable storage under --data. It is where every coskit command goes when nothing else is configured.',
    )
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'TCP port; 0 picks a free one', '9000')
    .option('--data <dir>', 'data directory (blobs and metadata)', './coskit-data')
    .option('--memory', 'keep everything in memory: nothing on disk, gone when the server stops (for tests)')
    .option('--secret-id <id>', 'accepted SecretId (env COSKIT_SECRET_ID)')
    .option('--secret-key <key>', 'its SecretKey (env COSKIT_SECRET_KEY)')
    .option('--region <region>', 'region the server reports', 'ap-guangzhou')
    .option('--log-level <level>', `request log level: ${LOG_LEVELS.join(', ')}`, 'info')
    .option(
      '--log-format <format>',
      'human (one short line per request; the default on a terminal) or json (pino JSON lines; the default elsewhere)',
    )
    .option(
      '--cors <origins>',
      "allow browser pages at these origins (comma-separated; '*' for any, 'http://*.example.com' patterns) to call every bucket without a CORS configuration of its own: for development",
    )
    .option('--headers-timeout <ms>', 'time a client may take to send request headers (default 20000)')
    .option(
      '--request-idle-timeout <ms>',
      'silence allowed mid-request (a stalled body or download); 0 = off (default 120000)',
    )
    .option('--keep-alive-timeout <ms>', 'idle time before a keep-alive connection closes (default 65000)')
    .option('--max-connections <n>', 'connections open at once; more are refused (default 1000)')
    .option('--no-console', 'serve no web console at /_console/ (the path then answers 404 NoSuchBucket)')
    .option(
      '--sse-key-file <path>',
      'SSE-COS key file (32 bytes, base64); created 0600 on first use (default <data>/sse-cos.key)',
    )
    .option(
      '--allow-sse-c-over-http',
      'accept SSE-C keys from non-loopback peers over plain HTTP (only behind a TLS proxy)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ coskit serve                       # 127.0.0.1:9000, ./coskit-data, dev key
  $ coskit serve --port 0 --data /tmp/cos   # any free port
  $ coskit serve --port 0 --memory          # a throw-away server for tests
  $ COSKIT_SECRET_ID=AKID... COSKIT_SECRET_KEY=... coskit serve --host 0.0.0.0
  $ coskit serve --cors '*'            # any web page may call it (development)
  $ coskit serve --no-console          # no web console at /_console/
  $ coskit serve --log-format json 2>requests.log
  $ coskit serve --headers-timeout 10000 --max-connections 200  # tighter

Point the official Node SDK at it:
  new COS({ SecretId, SecretKey, Protocol: 'http:', Ip: '127.0.0.1:9000' })`,
    )
    .action(async (opts: ServeOptions, command: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UsageError(`--port must be an integer from 0 to 65535; got "${opts.port}".`);
      }
      if (!LOG_LEVELS.includes(opts.logLevel)) {
        throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}; got "${opts.logLevel}".`);
      }
      if (opts.memory && command.getOptionValueSource('data') === 'cli') {
        throw new UsageError('--memory keeps nothing on disk: give --memory or --data, not both.');
      }
      const format = opts.logFormat ?? (process.stderr.isTTY ? 'human' : 'json');
      if (format !== 'human' && format !== 'json') {
        throw new UsageError(`--log-format must be human or json; got "${opts.logFormat}".`);
      }
      if (!opts.memory) await checkDataDir(opts.data);
      const secretId = opts.secretId ?? process.env['COSKIT_SECRET_ID'];
      const secretKey = opts.secretKey ?? process.env['COSKIT_SECRET_KEY'];
      if ((secretId === undefined) !== (secretKey === undefined)) {
        throw new UsageError(
          'give both --secret-id and --secret-key (or COSKIT_SECRET_ID and COSKIT_SECRET_KEY), or neither.',
        );
      }
      const credentials: Credential[] = secretId && secretKey ? [{ secretId, secretKey }] : [];
      const corsOrigins = opts.cors === undefined ? [] : corsOriginsOf(opts.cors);
      const limits = connectionLimits(opts);
      const { DEVELOPMENT_CREDENTIAL, developmentCorsRule, startServer } = await import('@coskit/server');
      // The console's built files; the server reads them, it never imports the console's code.
      const consoleDir = opts.console ? (await import('@coskit/console')).CONSOLE_DIR : undefined;
      const server = await startServer({
        host: opts.host,
        port,
        storage: opts.memory ? 'memory' : 'local',
        dataDir: opts.data,
        credentials,
        region: opts.region,
        logLevel: opts.logLevel,
        ...(format === 'human' ? { logDestination: humanLogStream(process.stderr) } : {}),
        cors: corsOrigins.length > 0 ? [developmentCorsRule(corsOrigins)] : [],
        ...(consoleDir ? { consoleDir } : {}),
        ...limits,
        ...(opts.sseKeyFile === undefined ? {} : { sseKeyFile: opts.sseKeyFile }),
        allowSseCustomerOverHttp: opts.allowSseCOverHttp === true,
      });
      if (credentials.length === 0) {
        process.stderr.write(
          `coskit: no credentials given; using the development key pair\n  SecretId  ${DEVELOPMENT_CREDENTIAL.secretId}\n  SecretKey ${DEVELOPMENT_CREDENTIAL.secretKey}\n`,
        );
      }
      process.stdout.write(`coskit server listening on ${server.url}\n`);
      if (server.consoleUrl) process.stdout.write(`coskit console at ${server.consoleUrl}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

/** `--cors` origins: comma-separated, each non-empty with at most one `*` (as COS's AllowedOrigin). */
function corsOriginsOf(value: string): string[] {
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  if (origins.length === 0) throw new UsageError("--cors needs at least one origin, e.g. --cors '*'.");
  for (const origin of origins) {
    if (origin.split('*').length > 2) {
      throw new UsageError(`--cors origin "${origin}" has more than one "*"; use one wildcard per origin.`);
    }
  }
  return origins;
}
