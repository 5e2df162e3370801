import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';

describe('APPEND Object through the official SDK', () => {
  let h: Harness;
  const Bucket = bucketName();
  const base = () => ({ Bucket, Region: REGION });
  before(async () => {
    h = await startHarness();
    assert.equal((await call(h.cos, 'putBucket', base())).err, null);
  });
  after(() => h.close());

  test('appends grow an appendable object; next position, CRC-64 of the whole, x-cos-object-type', async () => {
    const a = randomBytes(5000);
    const b = randomBytes(7000);
    const first = await call(h.cos, 'appendObject', {
      ...base(),
      Key: 'log.txt',
      Position: 0,
      Body: a,
      ContentType: 'text/plain',
    });
    assert.equal(first.err, null);
    assert.equal(first.data.headers['x-cos-next-append-position'], '5000');
    const second = await call(h.cos, 'appendObject', { ...base(), Key: 'log.txt', Position: 5000, Body: b });
    assert.equal(second.err, null);
    assert.equal(second.data.headers['x-cos-next-append-position'], '12000');
    assert.equal(second.data.headers['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64(Buffer.concat([a, b]))));
    const head = await call(h.cos, 'headObject', { ...base(), Key: 'log.txt' });
    assert.equal(head.data.headers['x-cos-object-type'], 'appendable');
    assert.equal(head.data.headers['content-type'], 'text/plain');
    const get = await call(h.cos, 'getObject', { ...base(), Key: 'log.txt' });
    assert.ok(Buffer.compare(get.data.Body, Buffer.concat([a, b])) === 0);
  });

  test('a wrong position is 409 AppendPositionErr; a normal object is 409 ObjectNotAppendable', async () => {
    await call(h.cos, 'appendObject', { ...base(), Key: 'pos.txt', Position: 0, Body: Buffer.from('abc') });
    const wrong = await call(h.cos, 'appendObject', {
      ...base(),
      Key: 'pos.txt',
      Position: 1,
      Body: Buffer.from('x'),
    });
    assert.equal(wrong.err.statusCode, 409);
    assert.equal(wrong.err.code, 'AppendPositionErr');
    await call(h.cos, 'putObject', { ...base(), Key: 'normal.txt', Body: 'x' });
    const normal = await call(h.cos, 'appendObject', {
      ...base(),
      Key: 'normal.txt',
      Position: 1,
      Body: Buffer.from('y'),
    });
    assert.equal(normal.err.statusCode, 409);
    assert.equal(normal.err.code, 'ObjectNotAppendable');
  });

  test('concurrent appends at one position: exactly one wins', async () => {
    await call(h.cos, 'appendObject', {
      ...base(),
      Key: 'race.txt',
      Position: 0,
      Body: Buffer.from('start'),
    });
    const bodies = Array.from({ length: 8 }, (_, i) => Buffer.from(`writer-${i}`));
    const results = await Promise.all(
      bodies.map((Body) => call(h.cos, 'appendObject', { ...base(), Key: 'race.txt', Position: 5, Body })),
    );
    const winners = results.filter((r) => r.err === null);
    assert.equal(winners.length, 1);
    for (const r of results) if (r.err) assert.equal(r.err.code, 'AppendPositionErr');
    const get = await call(h.cos, 'getObject', { ...base(), Key: 'race.txt' });
    assert.equal(get.data.Body.length, 5 + 8);
  });

  test('PUT over an appendable object makes it a normal object', async () => {
    await call(h.cos, 'appendObject', { ...base(), Key: 'turn.txt', Position: 0, Body: Buffer.from('a') });
    await call(h.cos, 'putObject', { ...base(), Key: 'turn.txt', Body: 'whole' });
    const head = await call(h.cos, 'headObject', { ...base(), Key: 'turn.txt' });
    assert.equal(head.data.headers['x-cos-object-type'], undefined);
    const append = await call(h.cos, 'appendObject', {
      ...base(),
      Key: 'turn.txt',
      Position: 5,
      Body: Buffer.from('b'),
    });
    assert.equal(append.err.code, 'ObjectNotAppendable');
  });
});
