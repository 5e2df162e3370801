/** Retried bytes are taken back from progress; a streamed GET body still obeys its signal. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ClientHarness, startClientHarness } from './support/client-harness.js';

describe('progress across retries and streamed bodies', () => {
  let h: ClientHarness;
  const Bucket = 'progress-1250000000';
  before(async () => {
    h = await startClientHarness();
    await h.client.createBucket({ Bucket });
  });
  after(() => h.close());

  test('a retried PUT reports its failed attempt back, so the running sum equals the body', async () => {
    const body = randomBytes(600_000);
    const deltas: number[] = [];
    h.proxy.slowDownNext = 1;
    await h.proxied.putObject({
      Bucket,
      Key: 'retried',
      Body: body,
      onUploadProgress: (n) => deltas.push(n),
    });
    assert.ok(
      deltas.some((n) => n < 0),
      'the failed attempt was taken back',
    );
    assert.equal(
      deltas.reduce((a, b) => a + b, 0),
      body.length,
    );
  });

  test('uploadFile of a single-PUT file: progress ends at exactly the size despite a retry', async () => {
    const path = join(h.dir, 'one-put.bin');
    await writeFile(path, randomBytes(700_000));
    const calls: number[] = [];
    h.proxy.slowDownNext = 1;
    const r = await h.proxied.uploadFile({
      Bucket,
      Key: 'one-put',
      LocalFilePath: path,
      ProgressInterval: 0,
      onProgress: (done) => calls.push(done),
    });
    assert.equal(r.bytesSent, 700_000);
    assert.equal(calls.at(-1), 700_000);
    assert.ok(calls.every((v) => v <= 700_000));
  });

  test('aborting while a GET body streams ends the stream with COS_ABORTED', async () => {
    await h.client.putObject({ Bucket, Key: 'big', Body: randomBytes(8 * 1024 * 1024) });
    const controller = new AbortController();
    const r = await h.client.getObject({
      Bucket,
      Key: 'big',
      TrafficLimit: 819200,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(
      (async () => {
        for await (const _chunk of r.Body) {
          // read until the abort ends the stream
        }
      })(),
      { code: 'COS_ABORTED' },
    );
  });
});
