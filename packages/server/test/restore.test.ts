/**
 * POST Object restore (issue #11 item 8) against the real server with a short restore delay: a
 * cold object is 403 InvalidObjectState on GET (and as a copy source) until restored, HEAD shows
 * `x-cos-restore`, and every refusal answers its COS code — through `cos-nodejs-sdk-v5` and raw.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, rawRequest } from './support/raw.js';

// Long enough that the checks of an ongoing restore finish before it completes on a loaded machine;
// the completion is then polled for, not slept for.
const DELAY_MS = 2500;
let h: Harness;
const Bucket = bucketName();
const restoreBody = (days: number | string, tier?: string) =>
  `<RestoreRequest><Days>${days}</Days>${tier ? `<CASJobParameters><Tier>${tier}</Tier></CASJobParameters>` : ''}</RestoreRequest>`;
const restore = (key: string, body: string) =>
  rawRequest({ port: h.server.port, method: 'POST', bucket: Bucket, key, query: { restore: '' }, body });
const get = (key: string) => rawRequest({ port: h.server.port, method: 'GET', bucket: Bucket, key });
const head = (Key: string) => call(h.cos, 'headObject', { Bucket, Region: REGION, Key });

before(async () => {
  h = await startHarness({ restoreDelayMs: DELAY_MS });
  await call(h.cos, 'putBucket', { Bucket, Region: REGION });
});
after(() => h.close());

describe('POST Object restore', () => {
  test('official SDK restoreObject: 403 until the delay passes, then readable; HEAD shows progress', async () => {
    await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'cold',
      Body: 'frozen bytes',
      StorageClass: 'ARCHIVE',
    });
    const refused = await get('cold');
    assert.equal(refused.status, 403);
    assert.equal(errorCode(refused), 'InvalidObjectState');
    assert.equal((await head('cold')).data.headers['x-cos-restore'], undefined);
    const copy = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Bucket,
      key: 'cold-copy',
      headers: { 'x-cos-copy-source': `${Bucket}.cos.${REGION}.myqcloud.com/cold` },
    });
    assert.equal(errorCode(copy), 'InvalidObjectState', 'a cold source is not copied either');
    const r = await call(h.cos, 'restoreObject', {
      Bucket,
      Region: REGION,
      Key: 'cold',
      RestoreRequest: { Days: 2, CASJobParameters: { Tier: 'Expedited' } },
    });
    assert.equal(r.err, null);
    assert.equal(r.data.statusCode, 202);
    assert.equal((await head('cold')).data.headers['x-cos-restore'], 'ongoing-request="true"');
    assert.equal(errorCode(await get('cold')), 'InvalidObjectState');
    const again = await restore('cold', restoreBody(1));
    assert.equal(again.status, 409);
    assert.equal(errorCode(again), 'RestoreAlreadyInProgress');
    let restored = await get('cold');
    for (
      const deadline = Date.now() + DELAY_MS + 10_000;
      restored.status !== 200 && Date.now() < deadline;
    ) {
      await sleep(100);
      restored = await get('cold');
    }
    assert.equal(restored.status, 200);
    assert.equal(restored.text, 'frozen bytes');
    const header = (await head('cold')).data.headers['x-cos-restore'] as string;
    const expiry = /^ongoing-request="false", expiry-date="([^"]+)"$/.exec(header)?.[1];
    assert.ok(expiry, header);
    const days = (Date.parse(expiry) - Date.now()) / 86_400_000;
    assert.ok(days > 1.9 && days <= 2, `expiry ${expiry} is not two days out`);
    // A restore of a restored copy only moves its expiry, at once.
    const extend = await restore('cold', restoreBody(5));
    assert.equal(extend.status, 200);
    const later = (await head('cold')).data.headers['x-cos-restore'] as string;
    assert.ok(Date.parse(/expiry-date="([^"]+)"/.exec(later)![1]!) - Date.now() > 4.9 * 86_400_000);
    assert.equal((await get('cold')).status, 200);
    // An overwrite is a new object: cold again, never restored.
    await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'cold',
      Body: 'new',
      StorageClass: 'DEEP_ARCHIVE',
    });
    assert.equal(errorCode(await get('cold')), 'InvalidObjectState');
  });

  test('every refusal', async () => {
    await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'warm', Body: 'w' });
    await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'deep',
      Body: 'd',
      StorageClass: 'DEEP_ARCHIVE',
    });
    const cases: [string, string, number, string][] = [
      ['warm', restoreBody(1), 403, 'InvalidObjectState'],
      ['missing', restoreBody(1), 404, 'NoSuchKey'],
      ['deep', restoreBody(1, 'Expedited'), 400, 'InvalidArgument'],
      ['deep', restoreBody(0), 400, 'MalformedXML'],
      ['deep', restoreBody(366), 400, 'MalformedXML'],
      ['deep', restoreBody(1, 'Fast'), 400, 'MalformedXML'],
      ['deep', '<RestoreRequest>', 400, 'MalformedXML'],
    ];
    for (const [key, body, status, code] of cases) {
      const res = await restore(key, body);
      assert.equal(res.status, status, `${key} ${body}: ${res.text}`);
      assert.equal(errorCode(res), code);
    }
    const empty = await rawRequest({
      port: h.server.port,
      method: 'POST',
      bucket: Bucket,
      key: 'deep',
      query: { restore: '' },
    });
    assert.equal(errorCode(empty), 'MissingRequestBodyError');
    const anonymous = await rawRequest({
      port: h.server.port,
      method: 'POST',
      bucket: Bucket,
      key: 'deep',
      query: { restore: '' },
      body: restoreBody(1),
      sign: false,
    });
    assert.equal(errorCode(anonymous), 'AccessDenied');
    assert.equal(
      (await head('deep')).data.headers['x-cos-restore'],
      undefined,
      'no refused request started a restore',
    );
    const standard = await restore('deep', restoreBody(1, 'Bulk'));
    assert.equal(standard.status, 202);
  });

  test('Upload Part - Copy refuses a cold source as PUT Object - Copy does, until it is restored', async () => {
    await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'cold-part',
      Body: 'archived part bytes',
      StorageClass: 'ARCHIVE',
    });
    const init = await call(h.cos, 'multipartInit', { Bucket, Region: REGION, Key: 'from-cold' });
    const partCopy = () =>
      rawRequest({
        port: h.server.port,
        method: 'PUT',
        bucket: Bucket,
        key: 'from-cold',
        query: { partNumber: '1', uploadId: init.data.UploadId },
        headers: { 'x-cos-copy-source': `${Bucket}.cos.${REGION}.myqcloud.com/cold-part` },
      });
    const refused = await partCopy();
    assert.equal(refused.status, 403);
    assert.equal(errorCode(refused), 'InvalidObjectState');
    const parts = await call(h.cos, 'multipartListPart', {
      Bucket,
      Region: REGION,
      Key: 'from-cold',
      UploadId: init.data.UploadId,
    });
    assert.deepEqual(parts.data.Part, [], 'no part was stored');
    assert.equal((await restore('cold-part', restoreBody(1))).status, 202);
    await sleep(DELAY_MS + 50);
    const copied = await partCopy();
    assert.equal(copied.status, 200, copied.text);
  });
});
