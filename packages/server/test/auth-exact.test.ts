import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  canonicalize,
  formatAuthorization,
  httpString,
  signature,
  signKey,
  signRequest,
  stringToSign,
} from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL } from '../src/index.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, rawRequest } from './support/raw.js';

const { secretId, secretKey } = DEVELOPMENT_CREDENTIAL;

/** GET with only a Host header and a raw target (pre-signed URLs). */
function getUrl(port: number, host: string, target: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: target, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    })
      .on('error', reject)
      .end();
  });
}

describe('Authorization is parsed exactly (issue 9 item 5)', () => {
  let h: Harness;
  const Bucket = bucketName();
  const host = `${Bucket}.cos.${REGION}.myqcloud.com`;
  before(async () => {
    h = await startHarness();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'k', Body: 'the object' });
  });
  after(() => h.close());

  const authFor = (extra: Record<string, string> = {}) =>
    signRequest({ secretId, secretKey, method: 'GET', pathname: '/k', headers: { host, ...extra } });
  const get = (authorization: string) =>
    rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'k',
      sign: false,
      headers: { authorization },
    });

  test('a correct signature still works', async () => {
    assert.equal((await get(authFor())).text, 'the object');
  });

  test('values are not trimmed: q-ak with a trailing space is InvalidAccessKeyId', async () => {
    const auth = authFor().replace(`q-ak=${secretId}`, `q-ak=${secretId} `);
    const r = await get(auth);
    assert.equal(r.status, 403);
    assert.equal(errorCode(r), 'InvalidAccessKeyId');
    const spaced = authFor().replace('&q-signature=', '& q-signature=');
    assert.equal(errorCode(await get(spaced)), 'AccessDenied');
  });

  test('a repeated field is AccessDenied, whichever copy is valid', async () => {
    const good = authFor();
    const sig = /q-signature=([0-9a-f]+)/.exec(good)![1]!;
    for (const auth of [
      `${good}&q-signature=${sig}`,
      `${good.replace(sig, '0'.repeat(40))}&q-signature=${sig}`,
      `${good}&q-ak=${secretId}`,
    ]) {
      const r = await get(auth);
      assert.equal(r.status, 403, auth);
      assert.equal(errorCode(r), 'AccessDenied', auth);
      assert.match(r.text, /more than once/);
    }
  });

  test('both q-sign-time and q-key-time must contain now', async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (signTime: string, keyTime: string) => {
      const headers = canonicalize([['host', host]]);
      const params = canonicalize([]);
      const toSign = stringToSign(signTime, httpString('get', '/k', params, headers));
      return formatAuthorization({
        algorithm: 'sha1',
        ak: secretId,
        signTime,
        keyTime,
        headerList: headers.names,
        urlParamList: params.names,
        signature: signature(signKey(secretKey, keyTime), toSign),
      });
    };
    const current = `${now - 60};${now + 600}`;
    assert.equal((await get(sign(current, current))).text, 'the object');
    const expiredKey = await get(sign(current, `${now - 7200};${now - 3600}`));
    assert.equal(errorCode(expiredKey), 'AccessDenied');
    assert.match(expiredKey.text, /Request has expired/);
    const expiredSign = await get(sign(`${now - 7200};${now - 3600}`, current));
    assert.equal(errorCode(expiredSign), 'AccessDenied');
    const futureKey = await get(sign(current, `${now + 7200};${now + 9000}`));
    assert.equal(errorCode(futureKey), 'RequestTimeTooSkewed');
  });

  test("the Node SDK's single ?sign=<encoded q-sign> form is accepted like the expanded one", async () => {
    const auth: string = h.cos.getAuth({ Method: 'get', Bucket, Region: REGION, Key: 'k' });
    assert.match(auth, /^q-sign-algorithm=sha1&/);
    const r = await getUrl(h.server.port, host, `/k?sign=${encodeURIComponent(auth)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text, 'the object');
    const expanded = await getUrl(h.server.port, host, `/k?${auth}`);
    assert.equal(expanded.text, 'the object');
    const both = await getUrl(h.server.port, host, `/k?${auth}&sign=${encodeURIComponent(auth)}`);
    assert.equal(both.status, 403);
    const tampered = await getUrl(
      h.server.port,
      host,
      `/k?sign=${encodeURIComponent(auth.replace(/.$/, 'x'))}`,
    );
    assert.equal(tampered.status, 403);
  });
});

describe('headers that grant rights or change a response must be signed (issue 9 item 6)', () => {
  let h: Harness;
  const Bucket = bucketName();
  const host = `${Bucket}.cos.${REGION}.myqcloud.com`;
  before(async () => {
    h = await startHarness();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'doc.txt', Body: 'plain text' });
  });
  after(() => h.close());

  test('an unsigned x-cos-acl or x-cos-grant-* on a signed PUT is refused and stores nothing', async () => {
    for (const [name, value] of [
      ['x-cos-acl', 'public-read'],
      ['x-cos-grant-read', 'id="qcs::cam::anyone:anyone"'],
      ['X-Cos-Grant-Full-Control', 'id="qcs::cam::anyone:anyone"'],
    ] as const) {
      const r = await rawRequest({
        port: h.server.port,
        method: 'PUT',
        bucket: Bucket,
        key: 'sneaky',
        body: 'x',
        unsignedHeaders: { [name]: value },
      });
      assert.equal(r.status, 403, name);
      assert.equal(errorCode(r), 'AccessDenied');
      assert.match(r.text, new RegExp(name.toLowerCase()));
    }
    assert.equal(
      (await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'sneaky' })).err?.statusCode,
      404,
    );
  });

  test('an upload-only pre-signed URL cannot make its object public; a URL that signs the ACL can', async () => {
    const url: string = h.cos.getObjectUrl({
      Bucket,
      Region: REGION,
      Key: 'up.txt',
      Method: 'PUT',
      Sign: true,
    });
    const target = url.slice(url.indexOf('/', 'http://'.length));
    const put = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        request(
          {
            host: '127.0.0.1',
            port: h.server.port,
            method: 'PUT',
            path: target,
            headers: { host, ...headers },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
          .on('error', reject)
          .end('uploaded');
      });
    assert.equal(await put({ 'x-cos-acl': 'public-read' }), 403);
    assert.equal(await put({}), 200);
    const anonymous = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'up.txt',
      sign: false,
    });
    assert.equal(anonymous.status, 403);
    // The official SDK signs the ACL header it sends: putObject with ACL still works.
    const pub = await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'pub.txt',
      Body: 'p',
      ACL: 'public-read',
    });
    assert.equal(pub.err, null);
    const read = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'pub.txt',
      sign: false,
    });
    assert.equal(read.text, 'p');
  });

  test('an unsigned response-* parameter on a signed GET is refused; the SDK-signed one works', async () => {
    const auth = signRequest({ secretId, secretKey, method: 'GET', pathname: '/doc.txt', headers: { host } });
    const r = await getUrlWithAuth(h.server.port, host, '/doc.txt?response-content-type=text%2Fhtml', auth);
    assert.equal(r.status, 403);
    assert.match(r.text, /response-content-type/);
    const sdk = await call(h.cos, 'getObject', {
      Bucket,
      Region: REGION,
      Key: 'doc.txt',
      ResponseContentType: 'text/html',
    });
    assert.equal(sdk.err, null);
    assert.equal(sdk.data.headers['content-type'], 'text/html');
    const presigned: string = h.cos.getObjectUrl({
      Bucket,
      Region: REGION,
      Key: 'doc.txt',
      Sign: true,
      Query: { 'response-content-disposition': 'attachment' },
    });
    const ok = await getUrl(h.server.port, host, presigned.slice(presigned.indexOf('/', 'http://'.length)));
    assert.equal(ok.status, 200, ok.text);
  });
});

function getUrlWithAuth(port: number, host: string, target: string, authorization: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: target, headers: { host, authorization } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    })
      .on('error', reject)
      .end();
  });
}
