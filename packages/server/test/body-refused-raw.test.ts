/**
 * A request refused before or while its body is read, the client still sending (raw sockets, q-sign):
 * the client gets the whole COS `<Error>` answer with `Connection: close`, then a clean close (FIN)
 * — never a reset that could swallow the answer — while a refused request whose body was read to
 * its end keeps the connection for the next request.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { signRequest } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL, type RunningServer, startServer } from '../src/index.js';
import { type Harness, REGION, startHarness } from './support/harness.js';

const Bucket = 'bodyrefused-1250000000';
const host = `${Bucket}.cos.${REGION}.myqcloud.com`;
const MiB = 1024 * 1024;

/** A signed request head (`headers` are signed; Host added). */
function head(method: string, path: string, headers: Record<string, string>): string {
  const all = { host, ...headers };
  const authorization = signRequest({
    secretId: DEVELOPMENT_CREDENTIAL.secretId,
    secretKey: DEVELOPMENT_CREDENTIAL.secretKey,
    method,
    pathname: path,
    query: {},
    headers: all,
  });
  const lines = Object.entries({ ...all, authorization }).map(([n, v]) => `${n}: ${v}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

interface Exchange {
  /** Every byte the server sent. */
  readonly received: Buffer;
  /** The server closed its side (FIN). */
  readonly ended: boolean;
  /** A socket error the client saw (ECONNRESET, EPIPE), if any. */
  readonly error: string | undefined;
}

/**
 * Sends `requestHead`, then `bodyBytes` in 64 KiB chunks as fast as the socket takes them (stopping
 * when the server closes), and resolves when the connection is closed — or, with `keepOpenAfter`,
 * once that many answers are complete (then the client closes).
 */
function exchange(
  port: number,
  requestHead: string,
  bodyBytes: number,
  keepOpenAfter?: number,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let ended = false;
    let error: string | undefined;
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the connection was neither closed nor answered: ${Buffer.concat(chunks)}`));
    }, 20_000);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (keepOpenAfter !== undefined && answers(Buffer.concat(chunks)).length === keepOpenAfter)
        socket.end();
    });
    socket.on('end', () => {
      ended = true;
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code;
    });
    socket.on('close', () => {
      clearTimeout(guard);
      resolve({ received: Buffer.concat(chunks), ended, error });
    });
    socket.write(requestHead);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      if (sent >= bodyBytes || socket.destroyed || ended) return;
      const n = Math.min(chunk.length, bodyBytes - sent);
      sent += n;
      socket.write(chunk.subarray(0, n), (err) => {
        if (!err) setImmediate(pump);
      });
    };
    pump();
  });
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The complete HTTP answers in `bytes` (Content-Length framed), in order. */
function answers(bytes: Buffer): Answer[] {
  const out: Answer[] = [];
  let rest = bytes;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return out;
    const [statusLine, ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(
      lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    const length = Number(headers['content-length'] ?? 0);
    if (rest.length < end + 4 + length) return out;
    out.push({
      status: Number(statusLine!.split(' ')[1]),
      headers,
      body: rest.subarray(end + 4, end + 4 + length).toString('utf8'),
    });
    rest = rest.subarray(end + 4 + length);
  }
}

/** One whole COS `<Error>` answer with `code`, and how the connection ended. */
function assertWholeError(x: Exchange, status: number, code: string, closes: boolean): Answer {
  const all = answers(x.received);
  assert.equal(all.length, 1, `one whole answer: ${x.received.toString('latin1').slice(0, 300)}`);
  const a = all[0]!;
  assert.equal(a.status, status);
  assert.match(a.body, new RegExp(`^<\\?xml[^>]*\\?>\\s*<Error>.*<Code>${code}</Code>.*</Error>\\s*$`, 's'));
  assert.match(a.body, /<Message>[^<]+<\/Message>/);
  assert.match(a.body, /<RequestId>[^<]+<\/RequestId>/);
  if (closes) {
    assert.equal(a.headers.connection, 'close', 'the answer says the connection ends');
    assert.ok(x.ended, 'the server closed its side cleanly (FIN)');
  }
  assert.equal(x.error, undefined, 'no reset or broken pipe');
  return a;
}

describe('a body refused while the client still sends it', () => {
  let h: Harness;
  let memory: RunningServer;
  before(async () => {
    h = await startHarness();
    memory = await startServer({
      port: 0,
      storage: 'memory',
      memoryLimitBytes: MiB,
      logLevel: 'silent',
      region: REGION,
    });
    for (const port of [h.server.port, memory.port]) {
      const made = await exchange(port, head('PUT', '/', { 'content-length': '0' }), 0, 1);
      assert.equal(answers(made.received)[0]?.status, 200);
    }
  });
  after(async () => {
    await memory.close();
    await h.close();
  });

  test('a declared length over the 5 GB limit: EntityTooLarge before reading, then a clean close', async () => {
    const x = await exchange(
      h.server.port,
      head('PUT', '/huge.bin', { 'content-length': String(6 * 1024 ** 3) }),
      16 * MiB,
    );
    assertWholeError(x, 400, 'EntityTooLarge', true);
  });

  test('a wrong signature with a body on its way: SignatureDoesNotMatch, then a clean close', async () => {
    const request = head('PUT', '/signed.bin', { 'content-length': String(8 * MiB) }).replace(
      'PUT /signed.bin',
      'PUT /other.bin',
    );
    assertWholeError(await exchange(h.server.port, request, 8 * MiB), 403, 'SignatureDoesNotMatch', true);
  });

  test('the store refuses in the middle of the body (memory limit): EntityTooLarge, then a clean close', async () => {
    const x = await exchange(
      memory.port,
      head('PUT', '/big.bin', { 'content-length': String(4 * MiB) }),
      4 * MiB,
    );
    const a = assertWholeError(x, 400, 'EntityTooLarge', true);
    assert.match(a.body, /in-memory store holds at most/);
  });

  test('more bytes than Content-Length with a wrong Content-MD5: BadDigest for the declared bytes, then a close', async () => {
    const x = await exchange(
      h.server.port,
      head('PUT', '/md5.bin', { 'content-length': '1000', 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' }),
      4 * MiB,
    );
    assertWholeError(x, 400, 'BadDigest', false);
    assert.ok(x.ended, 'the server closed its side cleanly (FIN)');
  });

  test('a body read to its end with a wrong Content-MD5: BadDigest, and the connection serves the next request', async () => {
    const body = Buffer.alloc(2 * MiB, 0x61);
    const first = head('PUT', '/whole.bin', {
      'content-length': String(body.length),
      'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==',
    });
    const second = head('HEAD', '/', {});
    // The second request is written after the whole first body: both answers on one connection.
    const x = await new Promise<Exchange>((resolve, reject) => {
      const socket = connect(h.server.port, '127.0.0.1');
      const chunks: Buffer[] = [];
      let error: string | undefined;
      const guard = setTimeout(() => reject(new Error('no second answer')), 20_000);
      socket.on('data', (d: Buffer) => {
        chunks.push(d);
        if (answers(Buffer.concat(chunks)).length === 2) socket.end();
      });
      socket.on('error', (e: NodeJS.ErrnoException) => {
        error = e.code;
      });
      socket.on('close', () => {
        clearTimeout(guard);
        resolve({ received: Buffer.concat(chunks), ended: false, error });
      });
      socket.write(first);
      socket.write(body);
      socket.write(second);
    });
    const [refused, next] = answers(x.received);
    assert.equal(refused?.status, 400);
    assert.match(refused!.body, /<Code>BadDigest<\/Code>/);
    assert.notEqual(refused!.headers.connection, 'close', 'kept alive: nothing was left unread');
    assert.equal(next?.status, 200, 'the next request on the same connection is answered');
    assert.equal(x.error, undefined);
  });
});
