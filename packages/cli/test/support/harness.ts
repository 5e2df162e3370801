/**
 * The CLI as a user runs it: `bin/coskit.js` spawned in a child process, against a coskit server
 * started in this process on a free port, with a temporary config file and home folder (the real
 * ~/.coskit is never touched), and a client to check what was stored.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CosConfig, CosS3Client } from '@coskit/client';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL, type RunningServer, startServer } from '@coskit/server';

export const BIN = fileURLToPath(new URL('../../../bin/coskit.js', import.meta.url));

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Standard output as bytes (for binary output). */
  readonly stdoutBytes: Buffer;
}

export interface Running {
  readonly child: ChildProcess;
  readonly done: Promise<RunResult>;
  out(): string;
  err(): string;
}

export interface RunOptions {
  /** Extra environment (merged over the harness's). */
  readonly env?: Record<string, string | undefined>;
  /** Bytes for standard input; otherwise it is closed. */
  readonly input?: string | Buffer;
  readonly cwd?: string;
}

/** The environment without any COSKIT_* of the developer's shell. */
export function cleanEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('COSKIT_')) env[k] = v;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function startCli(
  args: readonly string[],
  env: Record<string, string>,
  options: RunOptions = {},
): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: cleanEnv({ ...env, ...options.env }),
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => {
    chunks.push(c);
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  const out = () => Buffer.concat(chunks).toString('utf8');
  const done = new Promise<RunResult>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: out(), stderr, stdoutBytes: Buffer.concat(chunks) }),
    ),
  );
  return { child, done, out, err: () => stderr };
}

/** One JSON object per line (fails the test on a line that does not parse). */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${l}`);
      }
    });
}

export const crcOf = (data: Uint8Array | string): string => crc64ToDecimal(crc64(data));

export async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** Writes `size` random bytes to `path` (creating its folder); returns them. */
export async function randomFile(path: string, size: number): Promise<Buffer> {
  await mkdir(dirname(path), { recursive: true });
  const data = randomBytes(size);
  await writeFile(path, data);
  return data;
}

export interface CliHarness {
  readonly server: RunningServer;
  /** Temporary folder of this harness (config, checkpoints, files). */
  readonly dir: string;
  readonly endpoint: string;
  /** Verifies what was stored. */
  readonly client: CosS3Client;
  /** COSKIT_CONFIG, HOME and COSKIT_ENDPOINT for the child. */
  readonly env: Record<string, string>;
  run(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  start(args: readonly string[], options?: RunOptions): Running;
  /** A new bucket with a unique name. */
  bucket(): Promise<string>;
  /** The stored bytes of an object. */
  get(bucket: string, key: string): Promise<Buffer>;
  close(): Promise<void>;
}

let buckets = 0;

export async function startHarness(): Promise<CliHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'coskit-cli-test-'));
  const server = await startServer({ port: 0, dataDir: join(dir, 'data'), logLevel: 'silent' });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = new CosS3Client(
    new CosConfig({
      Region: 'ap-guangzhou',
      SecretId: DEVELOPMENT_CREDENTIAL.secretId,
      SecretKey: DEVELOPMENT_CREDENTIAL.secretKey,
      Scheme: 'http',
      IP: '127.0.0.1',
      Port: server.port,
    }),
  );
  await mkdir(join(dir, 'home'), { recursive: true });
  const env = {
    COSKIT_CONFIG: join(dir, 'coskit', 'config.json'),
    HOME: join(dir, 'home'),
    COSKIT_ENDPOINT: endpoint,
  };
  return {
    server,
    dir,
    endpoint,
    client,
    env,
    run: (args, options) => startCli(args, env, options).done,
    start: (args, options) => startCli(args, env, options),
    async bucket() {
      const name = `t${process.pid}x${++buckets}-1250000000`;
      await client.createBucket({ Bucket: name });
      return name;
    },
    async get(bucket, key) {
      const r = await client.getObject({ Bucket: bucket, Key: key });
      return readAll(r.Body);
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A pass-through proxy in front of the server that logs each request as `METHOD /path?query`. */
export async function startRequestLog(
  port: number,
): Promise<{ endpoint: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const proxy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url ?? '/'}`);
    const up = request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(up);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}
