/**
 * What a network command works with: the resolved connection, a client, the Ctrl-C signal and the
 * streams. `withSession` runs a command body and turns whatever it throws into an exit code and a
 * message that says what to change.
 */

import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CosS3Client, RequestLogEntry } from '@coskit/client';
import { CliError, describeError, exitCodeOf } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { CommonFlags } from './options/common.js';
import type { Runtime } from './runtime.js';
import { clientFor } from './settings/client-factory.js';
import { type Connection, resolveConnection } from './settings/connection.js';
import { configPath } from './settings/profiles.js';
import { UsageError } from './usage-error.js';

export interface Session {
  readonly runtime: Runtime;
  readonly conn: Connection;
  readonly client: CosS3Client;
  /** Aborted on Ctrl-C. */
  readonly signal: AbortSignal;
  readonly flags: CommonFlags;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** Checkpoints live next to the config file (`~/.coskit/checkpoints`, or beside `$COSKIT_CONFIG`). */
export function defaultCheckpointDir(): string {
  return join(dirname(configPath()), 'checkpoints');
}

export interface SessionOptions {
  /** Check CRC-64 of every transfer (off with --no-crc64). Default true. */
  readonly enableCrc?: boolean;
  /** Printed on Ctrl-C; transfer commands say how to resume. */
  readonly interruptHint?: string;
  /**
   * The bucket the command works on (a copy's destination): its ~/.cos.yaml entry's region and
   * endpoint are used when the connection comes from that file.
   */
  readonly bucket?: string | undefined;
  /**
   * A server-side copy's source bucket: it must be reached at the same endpoint as `bucket` (a
   * copy runs on one server), else the command is refused before any request.
   */
  readonly sourceBucket?: string | undefined;
}

/**
 * Resolves the connection, builds the client, runs `body`, and sets the exit code: `body`'s result,
 * 130 after Ctrl-C, or the code of what it threw (3 for job-wide failures, 1 otherwise).
 */
export async function withSession(
  runtime: Runtime,
  flags: CommonFlags,
  options: SessionOptions,
  body: (s: Session) => Promise<number>,
): Promise<void> {
  const conn = await resolveConnection(flags, options.bucket);
  if (options.sourceBucket !== undefined && options.sourceBucket !== options.bucket) {
    const from = await resolveConnection(flags, options.sourceBucket);
    if (from.endpoint !== conn.endpoint) {
      throw new UsageError(
        `cos://${options.sourceBucket} is at ${from.endpoint ?? `COS in ${from.region}`} and cos://${options.bucket} at ${conn.endpoint ?? `COS in ${conn.region}`} (~/.cos.yaml): a server-side copy runs on one server; copy through a local folder instead.`,
      );
    }
  }
  if (conn.isLocalDefault && !flags.quiet) {
    runtime.stderr.write(
      `coskit: nothing configured; using the local server ${conn.endpoint} with the development key (start it with \`coskit serve\`)\n`,
    );
  }
  if (options.interruptHint) runtime.interruptHint = options.interruptHint;
  const log = flags.logFile === undefined ? undefined : openRequestLog(flags.logFile);
  const client = clientFor(conn, {
    enableCrc: options.enableCrc ?? true,
    ...(log ? { onRequestEnd: log.write } : {}),
  });
  const session: Session = {
    runtime,
    conn,
    client,
    signal: runtime.signal,
    flags,
    stdout: runtime.stdout,
    stderr: runtime.stderr,
  };
  try {
    runtime.exitCode = await body(session);
    if (runtime.interrupted) runtime.exitCode = EXIT.interrupted;
  } catch (err) {
    // After Ctrl-C, whatever the aborted requests threw is the interruption itself.
    if (runtime.interrupted) {
      runtime.exitCode = EXIT.interrupted;
      return;
    }
    if (err instanceof CliError) throw err;
    throw new CliError(exitCodeOf(err), describeError(err, conn), { cause: err });
  } finally {
    client.destroy();
    log?.close();
  }
}

/**
 * `--log-file`: one JSON line per request, appended (synchronously: a line is on disk even when
 * the process is killed right after). The file is opened before any request, so an unwritable
 * path fails at once.
 */
function openRequestLog(path: string): { write: (e: RequestLogEntry) => void; close: () => void } {
  let fd: number;
  try {
    fd = openSync(path, 'a', 0o600);
  } catch (err) {
    throw new UsageError(
      `--log-file "${path}" cannot be written (${(err as NodeJS.ErrnoException).code ?? err}): name a file in a folder you can write.`,
    );
  }
  return {
    write: (e) => writeSync(fd, `${JSON.stringify({ time: new Date().toISOString(), ...e })}\n`),
    close: () => closeSync(fd),
  };
}
