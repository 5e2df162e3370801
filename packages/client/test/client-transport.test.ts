/**
 * The transport through a fault-injecting proxy: retries as data, no replay of streams, CRC-64
 * checks, cancellation, timeouts, clock re-sync, temporary keys, credential providers, keep-alive.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { parseAuthorization } from '@coskit/protocol';
import { CosClientError, type CosConfigOptions, CosServiceError, type Credentials } from '../src/index.js';
import { backoffMs, DEFAULT_RETRY_POLICY } from '../src/transport/retry.js';
import {
  bucketName,
  type ClientHarness,
  crcOf,
  readAll,
  recordStrayErrors,
  rejection,
  SECRET_ID,
  SECRET_KEY,
  startClientHarness,
} from './support/client-harness.js';

const HOURS = 3_600_000;
// Resets, cut answers and aborts must surface from the calls, never as process-level events.
const stray = recordStrayErrors();
const until = async (condition: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), `timed out waiting for ${what}`);
};

describe('transport', () => {
  let h: ClientHarness;
  const Bucket = bucketName('tr');
  before(async () => {
    h = await startClientHarness();
    await h.client.createBucket({ Bucket });
  });
  after(() => h.close());

  const client = (extra: Partial<CosConfigOptions> = {}) => h.newClient(extra);
  const sent = () => h.proxy.requests.length;

  test('connection resets are retried (replayable bodies) up to Retry.maxAttempts', async () => {
    const c = client({ Retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    h.proxy.reset();
    h.proxy.resetNext = 2;
    const put = await c.putObject({ Bucket, Key: 'reset/ok', Body: Buffer.from('survives resets') });
    assert.equal(put['x-cos-hash-crc64ecma'], crcOf('survives resets'));
    assert.equal(sent(), 3);
    assert.equal(h.proxy.requests[0]!.headers['x-cos-sdk-retry'], undefined);
    assert.equal(h.proxy.requests[1]!.headers['x-cos-sdk-retry'], 'true');
    assert.equal(h.proxy.requests[2]!.headers['x-cos-sdk-retry'], 'true');

    h.proxy.reset();
    h.proxy.resetNext = 1;
    const got = await c.getObject({ Bucket, Key: 'reset/ok' });
    assert.equal((await readAll(got.Body)).toString(), 'survives resets');
    assert.equal(sent(), 2);

    h.proxy.reset();
    h.proxy.resetNext = 10;
    const err = await rejection(c.headObject({ Bucket, Key: 'reset/ok' }));
    assert.ok(err instanceof CosClientError);
    assert.equal(err.code, 'COS_NETWORK');
    assert.equal(sent(), 3, 'exactly maxAttempts attempts');

    for (const maxAttempts of [1, 5]) {
      h.proxy.reset();
      h.proxy.resetNext = 10;
      const limited = client({ Retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 2 } });
      assert.equal(((await rejection(limited.headBucket({ Bucket }))) as CosClientError).code, 'COS_NETWORK');
      assert.equal(sent(), maxAttempts);
    }
  });

  test('503 SlowDown is retried and then surfaces as CosServiceError; policy statuses are data', async () => {
    const c = client({ Retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } });
    h.proxy.reset();
    h.proxy.slowDownNext = 3;
    await c.putObject({ Bucket, Key: 'slow/ok', Body: 'eventually' });
    assert.equal(sent(), 4);
    assert.equal(h.proxy.forwarded, 1);

    h.proxy.reset();
    h.proxy.slowDownNext = 10;
    const err = await rejection(c.listObjects({ Bucket }));
    assert.ok(err instanceof CosServiceError);
    assert.equal(err.statusCode, 503);
    assert.equal(err.errorCode, 'SlowDown');
    assert.equal(err.requestId, 'fault-proxy-req');
    assert.equal(sent(), 4);

    // A policy without 503 and without SlowDown does not retry it.
    const strict = client({ Retry: { maxAttempts: 4, statuses: [500], errorCodes: [] } });
    h.proxy.reset();
    h.proxy.slowDownNext = 1;
    assert.equal(((await rejection(strict.headBucket({ Bucket }))) as CosServiceError).statusCode, 503);
    assert.equal(sent(), 1);
  });

  test('4xx answers are not retried', async () => {
    const c = client({ Retry: { maxAttempts: 4, baseDelayMs: 1 } });
    for (const call of [
      () => c.getObject({ Bucket, Key: 'no/such/key' }),
      () => c.headObject({ Bucket, Key: 'no/such/key' }),
      () => c.putObject({ Bucket: bucketName('nobucket'), Key: 'k', Body: 'x' }),
      () => c.appendObject({ Bucket, Key: 'slow/ok', Position: 0, Data: 'x' }),
    ]) {
      h.proxy.reset();
      const err = await rejection(call());
      assert.ok(err instanceof CosServiceError);
      assert.ok(err.statusCode >= 400 && err.statusCode < 500);
      assert.equal(sent(), 1);
    }
  });

  test('a response cut mid-body is retried for buffered answers, and reported on a GET stream', async () => {
    const c = client();
    await c.putObject({ Bucket, Key: 'cut/me', Body: Buffer.alloc(256 * 1024, 5) });
    h.proxy.reset();
    h.proxy.truncateNext = 1;
    const list = await c.listObjects({ Bucket, Prefix: 'cut/' });
    assert.deepEqual(
      list.Contents.map((o) => o.Key),
      ['cut/me'],
    );
    assert.equal(sent(), 2);
    // GET Object hands the stream over with the headers: a later cut is an error on the stream.
    h.proxy.reset();
    h.proxy.truncateNext = 1;
    const got = await c.getObject({ Bucket, Key: 'cut/me' });
    await assert.rejects(readAll(got.Body));
    assert.equal(sent(), 1);
  });

  test('a stream Body is sent once: no retry after a reset or a 503', async () => {
    const c = client({ Retry: { maxAttempts: 4, baseDelayMs: 1 } });
    h.proxy.reset();
    h.proxy.resetNext = 1;
    const reset = await rejection(
      c.putObject({ Bucket, Key: 'stream/once', Body: Readable.from([Buffer.from('one shot')]) }),
    );
    assert.ok(reset instanceof CosClientError);
    assert.equal(reset.code, 'COS_NETWORK');
    assert.equal(sent(), 1);

    const { UploadId } = await c.createMultipartUpload({ Bucket, Key: 'stream/once' });
    h.proxy.reset();
    h.proxy.slowDownNext = 1;
    const slow = await rejection(
      c.uploadPart({
        Bucket,
        Key: 'stream/once',
        UploadId,
        PartNumber: 1,
        Body: Readable.from([Buffer.from('one shot')]),
        ContentLength: 8,
      }),
    );
    assert.equal((slow as CosServiceError).errorCode, 'SlowDown');
    assert.equal(sent(), 1);
    assert.equal(
      ((await rejection(c.headObject({ Bucket, Key: 'stream/once' }))) as CosServiceError).statusCode,
      404,
    );
  });

  test('CRC-64 mismatch is COS_CHECKSUM_MISMATCH; EnableCRC: false turns the check off', async () => {
    const c = client();
    h.proxy.reset();
    h.proxy.crc64 = '12345';
    const put = await rejection(c.putObject({ Bucket, Key: 'crc/put', Body: 'checked' }));
    assert.ok(put instanceof CosClientError);
    assert.equal(put.code, 'COS_CHECKSUM_MISMATCH');
    assert.match(put.message, /12345/);
    assert.match(put.message, new RegExp(crcOf('checked')));
    assert.equal(sent(), 1, 'a mismatch is not retried');
    const { UploadId } = await c.createMultipartUpload({ Bucket, Key: 'crc/part' });
    const part = await rejection(
      c.uploadPart({ Bucket, Key: 'crc/part', UploadId, PartNumber: 1, Body: 'part' }),
    );
    assert.equal((part as CosClientError).code, 'COS_CHECKSUM_MISMATCH');

    // Streams are hashed as they are sent: a file upload and a stream part are checked too.
    const file = join(h.dir, 'crc-file.txt');
    await writeFile(file, 'file bytes');
    const fromFile = await rejection(
      c.putObjectFromLocalFile({ Bucket, Key: 'crc/file', LocalFilePath: file }),
    );
    assert.equal((fromFile as CosClientError).code, 'COS_CHECKSUM_MISMATCH');
    assert.match(fromFile.message, new RegExp(crcOf('file bytes')));
    const streamPart = await rejection(
      c.uploadPart({
        Bucket,
        Key: 'crc/part',
        UploadId,
        PartNumber: 2,
        Body: Readable.from([Buffer.from('str'), Buffer.from('eam')]),
        ContentLength: 6,
      }),
    );
    assert.match(streamPart.message, new RegExp(`differs from the ${crcOf('stream')}`));

    const unchecked = client({ EnableCRC: false });
    const r = await unchecked.putObject({ Bucket, Key: 'crc/off', Body: 'unchecked' });
    assert.equal(r['x-cos-hash-crc64ecma'], '12345', 'the (rewritten) header is still reported');
    await unchecked.uploadPart({ Bucket, Key: 'crc/part', UploadId, PartNumber: 1, Body: 'part' });
    h.proxy.crc64 = undefined;
    // Without the proxy's rewrite the same uploads pass the check.
    await c.putObject({ Bucket, Key: 'crc/put', Body: 'checked' });
    await c.putObjectFromLocalFile({ Bucket, Key: 'crc/file', LocalFilePath: file });
  });

  test('AbortSignal: an in-flight stream upload is cancelled and the server stores nothing', async () => {
    const c = client();
    h.proxy.reset();
    const controller = new AbortController();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slowBody() {
      yield Buffer.alloc(64 * 1024, 1);
      await gate; // hold the rest until the test is over
      yield Buffer.alloc(64 * 1024, 2);
    }
    const body = Readable.from(slowBody());
    const pending = c.putObject({
      Bucket,
      Key: 'abort/stream',
      Body: body,
      ContentLength: 128 * 1024,
      signal: controller.signal,
    });
    await until(() => (h.proxy.requests[0]?.bodyBytes ?? 0) > 0, 'the first bytes to reach the proxy');
    controller.abort();
    const err = await rejection(pending);
    assert.ok(err instanceof CosClientError);
    assert.equal(err.code, 'COS_ABORTED');
    release();
    body.destroy();
    assert.equal(sent(), 1);
    // The server saw a cut request: no object.
    const head = await rejection(h.client.headObject({ Bucket, Key: 'abort/stream' }));
    assert.equal((head as CosServiceError).statusCode, 404);
    assert.deepEqual((await h.client.listObjects({ Bucket, Prefix: 'abort/' })).Contents, []);
  });

  test('AbortSignal: a Buffer upload waiting for its answer, and an already-aborted signal', async () => {
    const c = client();
    h.proxy.reset();
    h.proxy.delayMs = 2000;
    const controller = new AbortController();
    const pending = c.putObject({ Bucket, Key: 'abort/buffer', Body: 'x', signal: controller.signal });
    await until(() => sent() === 1, 'the request to reach the proxy');
    controller.abort();
    assert.equal(((await rejection(pending)) as CosClientError).code, 'COS_ABORTED');
    assert.equal(sent(), 1, 'a cancelled call is not retried');
    h.proxy.reset();
    const aborted = await rejection(c.headBucket({ Bucket, signal: AbortSignal.abort() }));
    assert.ok(aborted instanceof CosClientError);
    assert.equal(aborted.code, 'COS_ABORTED');
    assert.equal(sent(), 0);
    assert.equal(
      ((await rejection(h.client.headObject({ Bucket, Key: 'abort/buffer' }))) as CosServiceError).statusCode,
      404,
    );
  });

  test('Timeout: no answer in time is COS_TIMEOUT (retried like a reset)', async () => {
    h.proxy.reset();
    h.proxy.delayMs = 1500;
    const once = client({ Retry: { maxAttempts: 1 } });
    const err = await rejection(once.headBucket({ Bucket, Timeout: 150 }));
    assert.ok(err instanceof CosClientError);
    assert.equal(err.code, 'COS_TIMEOUT');
    assert.equal(sent(), 1);
    h.proxy.reset();
    h.proxy.delayMs = 1500;
    const twice = client({ Retry: { maxAttempts: 2, baseDelayMs: 1 }, Timeout: 150 });
    assert.equal(((await rejection(twice.listObjects({ Bucket }))) as CosClientError).code, 'COS_TIMEOUT');
    assert.equal(sent(), 2);
  });

  test('clock skew: Request has expired / RequestTimeTooSkewed re-sync from Date once, then succeed', async () => {
    for (const [offset, code] of [
      [-3 * HOURS, 'AccessDenied'],
      [+3 * HOURS, 'RequestTimeTooSkewed'],
    ] as const) {
      const skewed = client({ ClockOffset: offset });
      // A pre-signed URL from the skewed clock is refused.
      const before = await fetch(
        await h
          .newClient({
            ClockOffset: offset,
            ForcePathStyle: true,
            Endpoint: `127.0.0.1:${h.server.port}`,
            IP: undefined,
          })
          .getPresignedUrl({ Bucket, Key: 'reset/ok' }),
      );
      assert.equal(before.status, 403);
      await before.body?.cancel();
      h.proxy.reset();
      const put = await skewed.putObject({ Bucket, Key: 'skew/ok', Body: 'in sync' });
      assert.equal(put.statusCode, 200);
      assert.equal(sent(), 2, `${code}: one failure and one re-signed retry`);
      h.proxy.reset();
      await skewed.headObject({ Bucket, Key: 'skew/ok' });
      assert.equal(sent(), 1, 'the learned offset is kept');
    }
    // HEAD errors have no body ("Request has expired" is not said): the Date alone tells.
    for (const offset of [-3 * HOURS, 3 * HOURS]) {
      h.proxy.reset();
      const head = await client({ ClockOffset: offset }).headObject({ Bucket, Key: 'skew/ok' });
      assert.equal(head['Content-Length'], 7);
      assert.equal(sent(), 2);
    }
    // A server Date that is itself wrong: one re-sync only, then the error.
    const skewed = client({ ClockOffset: -3 * HOURS, Retry: { maxAttempts: 4, baseDelayMs: 1 } });
    h.proxy.reset();
    h.proxy.date = () => new Date(Date.now() - 3 * HOURS).toUTCString();
    const err = await rejection(skewed.listObjects({ Bucket }));
    assert.ok(err instanceof CosServiceError);
    assert.equal(err.statusCode, 403);
    assert.equal(err.errorMessage, 'Request has expired');
    assert.equal(sent(), 2);
    // A HEAD whose 403 is not about time (the server's Date agrees with ours) is not retried.
    h.proxy.reset();
    const wrongKey = client({ SecretKey: 'wrong' });
    assert.equal(((await rejection(wrongKey.headBucket({ Bucket }))) as CosServiceError).statusCode, 403);
    assert.equal(sent(), 1);
    // No usable Date: no re-sync at all.
    h.proxy.reset();
    h.proxy.date = () => 'not a date';
    const noDate = await rejection(client({ ClockOffset: -3 * HOURS }).listObjects({ Bucket }));
    assert.match((noDate as CosServiceError).errorMessage, /Request has expired/);
    assert.equal(sent(), 1);
  });

  test('clock skew with a stream Body: the offset is learned but the stream is not re-sent', async () => {
    const skewed = client({ ClockOffset: -3 * HOURS, Timeout: 5000 });
    h.proxy.reset();
    const err = await rejection(
      skewed.putObject({ Bucket, Key: 'skew/stream', Body: Readable.from([Buffer.from('stream')]) }),
    );
    assert.ok(err instanceof CosServiceError, `expected the clock error, got ${err}`);
    assert.equal(err.statusCode, 403);
    assert.equal(sent(), 1);
    h.proxy.reset();
    await skewed.putObject({ Bucket, Key: 'skew/stream', Body: Readable.from([Buffer.from('stream')]) });
    assert.equal(sent(), 1, 'the next call is signed with the learned offset');
  });

  test('keep-alive: sequential calls reuse one connection', async () => {
    const c = client();
    h.proxy.reset();
    for (let i = 0; i < 4; i++) await c.headBucket({ Bucket });
    const ports = new Set(h.proxy.requests.map((r) => r.remotePort));
    assert.equal(ports.size, 1);
  });

  test('backoff: exponential with full jitter, capped', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    // Full jitter: anywhere from 0 to the ceiling (it was 50 %–100 % of it, unlike its TSDoc).
    assert.equal(
      backoffMs(policy, 1, () => 0),
      0,
    );
    assert.equal(
      backoffMs(policy, 1, () => 0.5),
      50,
    );
    assert.equal(
      backoffMs(policy, 1, () => 1),
      100,
    );
    assert.equal(
      backoffMs(policy, 3, () => 1),
      400,
    );
    assert.equal(
      backoffMs(policy, 10, () => 1),
      1000,
    );
    assert.equal(
      backoffMs(policy, 10, () => 0),
      0,
    );
    assert.equal(
      backoffMs(policy, 10, () => 0.5),
      500,
    );
  });
});

describe('credentials', () => {
  const TOKEN = 'TOKEN/with+special=chars';
  const TEMP_ID = 'AKIDTEMPORARY000000000000000000000';
  const TEMP_KEY = 'temporary-secret-key';
  let h: ClientHarness;
  const Bucket = bucketName('cred');
  before(async () => {
    h = await startClientHarness({
      credentials: [
        { secretId: SECRET_ID, secretKey: SECRET_KEY },
        { secretId: TEMP_ID, secretKey: TEMP_KEY, token: TOKEN },
      ],
    });
    await h.client.createBucket({ Bucket });
  });
  after(() => h.close());

  test('Token is sent as a signed x-cos-security-token', async () => {
    const temp = h.newClient({ SecretId: TEMP_ID, SecretKey: TEMP_KEY, Token: TOKEN });
    h.proxy.reset();
    await temp.putObject({ Bucket, Key: 'sts', Body: 'temporary' });
    const headers = h.proxy.requests[0]!.headers;
    assert.equal(headers['x-cos-security-token'], TOKEN);
    const fields = parseAuthorization(String(headers.authorization));
    assert.ok(fields);
    assert.equal(fields.ak, TEMP_ID);
    assert.ok(fields.headerList.split(';').includes('x-cos-security-token'));
    // The token is required and must match.
    const none = h.newClient({ SecretId: TEMP_ID, SecretKey: TEMP_KEY });
    const missing = await rejection(none.headObject({ Bucket, Key: 'sts' }));
    assert.equal((missing as CosServiceError).statusCode, 403);
    const wrong = h.newClient({ SecretId: TEMP_ID, SecretKey: TEMP_KEY, Token: 'other' });
    assert.equal(
      ((await rejection(wrong.listObjects({ Bucket }))) as CosServiceError).errorCode,
      'AccessDenied',
    );
    // Pre-signed URLs carry the token.
    const url = await h
      .newClient({
        SecretId: TEMP_ID,
        SecretKey: TEMP_KEY,
        Token: TOKEN,
        ForcePathStyle: true,
        Endpoint: `127.0.0.1:${h.server.port}`,
        IP: undefined,
      })
      .getPresignedUrl({ Bucket, Key: 'sts' });
    assert.ok(new URL(url).searchParams.get('x-cos-security-token') === TOKEN);
    const res = await fetch(url);
    assert.equal(await res.text(), 'temporary');
  });

  test('a Credentials provider is called once and cached while its keys are fresh', async () => {
    let calls = 0;
    const provider = async (): Promise<Credentials> => {
      calls++;
      return { SecretId: TEMP_ID, SecretKey: TEMP_KEY, Token: TOKEN, ExpiredTime: Date.now() + HOURS };
    };
    const c = h.newClient({ SecretId: undefined, SecretKey: undefined, Credentials: provider });
    for (let i = 0; i < 3; i++) await c.headBucket({ Bucket });
    await c.putObject({ Bucket, Key: 'provided', Body: 'p' });
    assert.equal(calls, 1);
  });

  test('keys about to expire are fetched again; a failing provider fails the call with no request', async () => {
    let calls = 0;
    const rotating = async (): Promise<Credentials> => {
      calls++;
      // Alternates between the two key pairs; each expires within the 60 s refresh margin.
      return calls % 2
        ? { SecretId: TEMP_ID, SecretKey: TEMP_KEY, Token: TOKEN, ExpiredTime: Date.now() + 30_000 }
        : { SecretId: SECRET_ID, SecretKey: SECRET_KEY, ExpiredTime: Date.now() + 30_000 };
    };
    const c = h.newClient({ SecretId: undefined, SecretKey: undefined, Credentials: rotating });
    h.proxy.reset();
    for (let i = 0; i < 3; i++) await c.headBucket({ Bucket });
    assert.equal(calls, 3);
    assert.deepEqual(
      h.proxy.requests.map((r) => parseAuthorization(String(r.headers.authorization))?.ak),
      [TEMP_ID, SECRET_ID, TEMP_ID],
    );

    const broken = h.newClient({
      SecretId: undefined,
      SecretKey: undefined,
      Credentials: async () => ({ SecretId: '', SecretKey: '' }),
    });
    h.proxy.reset();
    const err = await rejection(broken.headBucket({ Bucket }));
    assert.equal((err as CosClientError).code, 'COS_INVALID_ARGUMENT');
    const failing = h.newClient({
      SecretId: undefined,
      SecretKey: undefined,
      Credentials: async () => {
        throw new Error('STS is down');
      },
    });
    assert.match((await rejection(failing.headBucket({ Bucket }))).message, /STS is down/);
    assert.equal(h.proxy.requests.length, 0);
  });
});

describe('process', () => {
  test('no uncaught exceptions or unhandled rejections were seen', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50)); // let late socket events surface
    assert.deepEqual(stray, []);
  });
});
