/**
 * How failures end a command: which exit code, and a message that says what to do. COS and network
 * errors are recognised by their fields (`code`, `statusCode`, `errorCode`), following `cause`, so
 * an error wrapped by the transfer layer (a part that failed on a refused connection) is still seen
 * as what it is.
 */
import { EXIT } from './exit-codes.js';
import type { Connection } from './settings/connection.js';

/** An error that ends the command with `exitCode` and prints `message` as is. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Ctrl-C: the reason given to the command's AbortSignal. */
export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
  }
}

interface ErrorFields {
  code?: unknown;
  errno?: unknown;
  statusCode?: unknown;
  errorCode?: unknown;
  errorMessage?: unknown;
  requestId?: unknown;
  cause?: unknown;
  message?: unknown;
}

/** The error itself, then its causes (at most 8 deep). */
function* chain(err: unknown): Generator<ErrorFields> {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e !== null && typeof e === 'object'; depth++) {
    yield e as ErrorFields;
    e = (e as ErrorFields).cause;
  }
}

function networkCause(err: unknown): ErrorFields | undefined {
  for (const e of chain(err)) if (e.code === 'COS_NETWORK' || e.code === 'COS_TIMEOUT') return e;
  return undefined;
}

function serviceCause(err: unknown): ErrorFields | undefined {
  for (const e of chain(err))
    if (typeof e.statusCode === 'number' && typeof e.errorCode === 'string') return e;
  return undefined;
}

/** The COS error code (`NoSuchKey`, …) or client code (`COS_NETWORK`, …) of an error, if any. */
export function errorCodeOf(err: unknown): string | undefined {
  const service = serviceCause(err);
  if (service) return String(service.errorCode);
  for (const e of chain(err)) if (typeof e.code === 'string') return e.code;
  return undefined;
}

/**
 * The status of a COS answer that had no body (a HEAD's: COS sends the status alone), else
 * undefined — such a 403 cannot tell refused keys from a wrong SSE-C key, which callers can.
 */
export function bodilessStatusOf(err: unknown): number | undefined {
  const s = serviceCause(err);
  if (!s || typeof s.statusCode !== 'number') return undefined;
  return String(s.errorCode) === String(s.statusCode) ? s.statusCode : undefined;
}

/** True when the request failed for the whole job, not for one file: unreachable, refused keys, no bucket. */
export function isFatal(err: unknown): boolean {
  if (networkCause(err)) return true;
  const s = serviceCause(err);
  if (!s) return false;
  return s.statusCode === 401 || s.statusCode === 403 || s.errorCode === 'NoSuchBucket';
}

/** Where the command connects, as the user would write it. */
function endpointLabel(conn: Connection): string {
  return conn.endpoint ?? `COS in ${conn.region}`;
}

/** Messages for bodiless answers (HEAD), which carry only a status. */
const FRIENDLY: Record<string, string> = {
  NoSuchKey: 'no such object',
  NoSuchResource: 'no such object',
  NoSuchBucket: 'no such bucket',
  NoSuchUpload: 'no such multipart upload (completed or aborted)',
  PreconditionFailed: 'the object changed',
};

/** One line saying what went wrong, and for the job-wide failures, what to change. */
export function describeError(err: unknown, conn?: Connection): string {
  const net = networkCause(err);
  if (net) {
    const errno = typeof net.errno === 'string' ? net.errno : undefined;
    const where = conn ? endpointLabel(conn) : 'the endpoint';
    if (net.code === 'COS_TIMEOUT')
      return `no answer from ${where} in time: check the endpoint and the network.`;
    // TLS to a server that answers plain HTTP fails in the handshake ("wrong version number").
    const tls = [...chain(err)].some((e) =>
      /ERR_SSL|EPROTO|wrong version number|packet length too long/i.test(
        `${String(e.code)} ${String(e.message)}`,
      ),
    );
    if (tls && conn?.endpoint?.startsWith('https://')) {
      return `cannot speak TLS with ${where}: the server speaks http: use ${conn.endpoint.replace(/^https:/, 'http:')}`;
    }
    const hint = conn?.isLocalDefault
      ? 'start the local server with `coskit serve`, or give --endpoint / a profile (coskit config set)'
      : 'check --endpoint (or COSKIT_ENDPOINT / the profile) and the network';
    return `cannot reach ${where}${errno ? ` (${errno})` : ''}: ${hint}.`;
  }
  const s = serviceCause(err);
  if (s) {
    const status = Number(s.statusCode);
    const code = String(s.errorCode);
    const message =
      typeof s.errorMessage === 'string' && !/^HTTP \d+$/.test(s.errorMessage)
        ? s.errorMessage
        : FRIENDLY[code];
    const detail = message ? `: ${message}` : '';
    const request = typeof s.requestId === 'string' && s.requestId ? ` (request ${s.requestId})` : '';
    if (status === 401 || status === 403) {
      return `access denied (${status} ${code}${detail})${request}: check the SecretId/SecretKey (--secret-id/--secret-key, COSKIT_SECRET_ID/COSKIT_SECRET_KEY, or coskit config set) and the key's permissions.`;
    }
    if (code === 'NoSuchBucket') {
      return `${status} ${code}${detail}${request}: check the bucket name (and --region), or create it with coskit mb.`;
    }
    return `${status} ${code}${detail}${request}`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The exit code for an error that escaped a command. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  return isFatal(err) ? EXIT.fatal : EXIT.partial;
}
