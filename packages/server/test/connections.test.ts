import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { signRequest } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL } from '../src/index.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';

const { secretId, secretKey } = DEVELOPMENT_CREDENTIAL;

/** A raw connection that collects what the server sends and when it closed. */
function open(port: number): { socket: Socket; received: () => string; closed: Promise<number> } {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('latin1');
  });
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
  return { socket, received: () => data, closed };
}

function signedPut(host: string, key: string, contentLength: number): string {
  const headers = { host, 'content-length': String(contentLength) };
  const authorization = signRequest({ secretId, secretKey, method: 'PUT', pathname: `/${key}`, headers });
  return `PUT /${key} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${contentLength}\r\nAuthorization: ${authorization}\r\n\r\n`;
}

describe('Content-Length smaller than the bytes sent (issue 9 item 11)', () => {
  let h: Harness;
  const Bucket = bucketName();
  const host = `${Bucket}.cos.${REGION}.myqcloud.com`;
  before(async () => {
    h = await startHarness();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
  });
  after(() => h.close());

  test('the object is exactly the first Content-Length bytes and the 200 arrives before the close', async () => {
    const conn = open(h.server.port);
    conn.socket.write(`${signedPut(host, 'short', 5)}hello, and 64 KiB more: `);
    conn.socket.write('x'.repeat(64 * 1024));
    await conn.closed;
    assert.match(conn.received(), /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(conn.received(), /\r\nETag: "5d41402abc4b2a76b9719d911017c592"\r\n/i); // MD5("hello")
    assert.match(conn.received(), /\r\nConnection: close\r\n/i);
    const got = await call(h.cos, 'getObject', { Bucket, Region: REGION, Key: 'short' });
    assert.equal(got.data.Body.toString(), 'hello');
  });
});

describe('slow clients cannot hold the server (issue 9 item 12)', () => {
  let h: Harness;
  const Bucket = bucketName();
  const host = `${Bucket}.cos.${REGION}.myqcloud.com`;
  before(async () => {
    h = await startHarness({
      headersTimeoutMs: 400,
      requestIdleTimeoutMs: 400,
      keepAliveTimeoutMs: 300,
      maxConnections: 30,
    });
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
  });
  after(() => h.close());

  test('a slowloris (headers one byte at a time) is cut off while a normal client keeps working', async () => {
    const slow = Array.from({ length: 20 }, () => open(h.server.port));
    const header = `GET / HTTP/1.1\r\nHost: ${host}\r\nX-Slow: ${'s'.repeat(200)}`;
    let i = 0;
    const drip = setInterval(() => {
      for (const c of slow) if (!c.socket.destroyed) c.socket.write(header[i % header.length]!);
      i++;
    }, 20);
    try {
      // While they drip, an ordinary client is served.
      for (let n = 0; n < 3; n++) {
        const put = await call(h.cos, 'putObject', {
          Bucket,
          Region: REGION,
          Key: `normal-${n}`,
          Body: 'fine',
        });
        assert.equal(put.err, null);
      }
      const times = await Promise.all(slow.map((c) => c.closed));
      for (const t of times) assert.ok(t < 3000, `slow connection lived ${t} ms`);
      for (const c of slow) assert.match(c.received(), /^HTTP\/1\.1 400 .*<Code>RequestTimeout<\/Code>/s);
    } finally {
      clearInterval(drip);
    }
    assert.equal((await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'normal-2' })).err, null);
  });

  test('a body that stops arriving is answered 400 RequestTimeout and stores nothing', async () => {
    const conn = open(h.server.port);
    conn.socket.write(`${signedPut(host, 'stalled', 1000)}only ten b`);
    const lived = await conn.closed;
    assert.ok(lived < 3000, `stalled upload lived ${lived} ms`);
    assert.match(conn.received(), /^HTTP\/1\.1 400 .*<Code>RequestTimeout<\/Code>/s);
    assert.equal(
      (await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'stalled' })).err?.statusCode,
      404,
    );
  });

  test('connections beyond the cap are refused; capacity returns when they close', async () => {
    const held = Array.from({ length: 30 }, () => open(h.server.port));
    await new Promise((r) => setTimeout(r, 100));
    const extra = open(h.server.port);
    const extraLived = await extra.closed;
    assert.ok(extraLived < 300, `connection over the cap lived ${extraLived} ms`);
    for (const c of held) c.socket.destroy();
    await Promise.all(held.map((c) => c.closed));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await call(h.cos, 'headBucket', { Bucket, Region: REGION })).err, null);
  });
});
