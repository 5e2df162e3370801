import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { presignQuery } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL } from '../src/index.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, rawRequest } from './support/raw.js';

describe('authentication and ACLs', () => {
  let h: Harness;
  const Bucket = bucketName();
  const now = () => Math.floor(Date.now() / 1000);
  before(async () => {
    h = await startHarness({
      credentials: [
        DEVELOPMENT_CREDENTIAL,
        { secretId: 'AKIDTEMPORARY', secretKey: 'temp-secret', token: 'sts-token-1' },
      ],
    });
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'private.txt', Body: 'secret' });
    await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'public.txt',
      Body: 'hello',
      ACL: 'public-read',
    });
  });
  after(() => h.close());

  test('a wrong SecretKey is 403 SignatureDoesNotMatch with StringToSign in the body', async () => {
    const r = await call(h.client({ SecretKey: 'wrong' }), 'headObject', {
      Bucket,
      Region: REGION,
      Key: 'private.txt',
    });
    assert.equal(r.err.statusCode, 403);
    const g = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'private.txt',
      sign: { secretKey: 'wrong' },
    });
    assert.equal(g.status, 403);
    assert.equal(errorCode(g), 'SignatureDoesNotMatch');
    assert.match(g.text, /<StringToSign>/);
    assert.match(g.text, /<RequestId>[^<]+<\/RequestId>/);
    assert.match(g.text, /<TraceId>[^<]+<\/TraceId>/);
    assert.match(g.text, /<Resource>[^<]+<\/Resource>/);
  });

  test('an unknown SecretId is 403 InvalidAccessKeyId', async () => {
    const g = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'private.txt',
      sign: { secretId: 'AKIDNOBODY' },
    });
    assert.equal(g.status, 403);
    assert.equal(errorCode(g), 'InvalidAccessKeyId');
  });

  test('an expired window is 403 AccessDenied "Request has expired"; far future is RequestTimeTooSkewed', async () => {
    const expired = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'private.txt',
      sign: { keyTime: `${now() - 7200};${now() - 3600}` },
    });
    assert.equal(expired.status, 403);
    assert.equal(errorCode(expired), 'AccessDenied');
    assert.match(expired.text, /Request has expired/);
    const future = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'private.txt',
      sign: { keyTime: `${now() + 7200};${now() + 9000}` },
    });
    assert.equal(future.status, 403);
    assert.equal(errorCode(future), 'RequestTimeTooSkewed');
  });

  test('a correctly signed request with extra x-cos headers is served', async () => {
    const good = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'private.txt',
      headers: { 'x-cos-meta-a': 'b' },
    });
    assert.equal(good.status, 200);
    assert.equal(good.text, 'secret');
  });

  test('anonymous reads: public-read object yes, private object and listing no, writes no', async () => {
    const pub = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'public.txt',
      sign: false,
    });
    assert.equal(pub.status, 200);
    assert.equal(pub.text, 'hello');
    const priv = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'private.txt',
      sign: false,
    });
    assert.equal(priv.status, 403);
    assert.equal(errorCode(priv), 'AccessDenied');
    const list = await rawRequest({ port: h.server.port, method: 'GET', bucket: Bucket, sign: false });
    assert.equal(list.status, 403);
    const put = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Bucket,
      key: 'anon.txt',
      body: 'x',
      sign: false,
    });
    assert.equal(put.status, 403);
    const head = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'anon.txt' });
    assert.equal(head.err.statusCode, 404);
  });

  test('pre-signed URLs from the official SDK and from protocol work; tampering fails', async () => {
    const url: string = await new Promise((resolve, reject) =>
      h.cos.getObjectUrl(
        { Bucket, Region: REGION, Key: 'private.txt', Sign: true },
        (err: unknown, data: { Url: string }) => (err ? reject(err) : resolve(data.Url)),
      ),
    );
    const u = new URL(url);
    const viaSdk = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      rawPath: u.pathname,
      rawQuery: u.search.slice(1),
      sign: false,
    });
    assert.equal(viaSdk.status, 200);
    assert.equal(viaSdk.text, 'secret');
    const q = presignQuery({
      secretId: DEVELOPMENT_CREDENTIAL.secretId,
      secretKey: DEVELOPMENT_CREDENTIAL.secretKey,
      method: 'GET',
      pathname: '/private.txt',
      headers: { host: `${Bucket}.cos.${REGION}.myqcloud.com` },
    });
    const ours = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'private.txt',
      rawQuery: q,
      sign: false,
    });
    assert.equal(ours.status, 200);
    const other = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'public.txt',
      rawQuery: q,
      sign: false,
    });
    assert.equal(other.status, 403);
    assert.equal(errorCode(other), 'SignatureDoesNotMatch');
    const semis = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'private.txt',
      rawQuery: q.replace(/;/g, '%3B'),
      sign: false,
    });
    assert.equal(semis.status, 200);
  });

  test('temporary keys need their security token', async () => {
    const withToken = h.client({
      SecretId: 'AKIDTEMPORARY',
      SecretKey: 'temp-secret',
      SecurityToken: 'sts-token-1',
    });
    assert.equal(
      (await call(withToken, 'headObject', { Bucket, Region: REGION, Key: 'private.txt' })).err,
      null,
    );
    const without = h.client({ SecretId: 'AKIDTEMPORARY', SecretKey: 'temp-secret' });
    const r = await call(without, 'headObject', { Bucket, Region: REGION, Key: 'private.txt' });
    assert.equal(r.err.statusCode, 403);
  });
});
