/**
 * CORS: PUT/GET/DELETE Bucket cors (official SDK and raw bodies), OPTIONS preflights answered from
 * the rules without a signature, `Access-Control-*` on actual answers (errors included), the
 * server's default rules (`--cors`), and the configuration surviving a restart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { COS_ERRORS } from '@coskit/protocol';
import { startServer } from '../src/index.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, type RawResponse, rawRequest } from './support/raw.js';

const RULES = [
  {
    ID: 'uploads',
    AllowedOrigin: ['http://*.example.com'],
    AllowedMethod: ['PUT', 'GET', 'POST'],
    AllowedHeader: ['*'],
    ExposeHeader: ['x-cos-meta-author'],
    MaxAgeSeconds: 600,
  },
  {
    AllowedOrigin: ['*'],
    AllowedMethod: ['GET', 'HEAD'],
    AllowedHeader: ['Range', 'x-cos-meta-size'],
  },
];

function preflight(
  port: number,
  bucket: string,
  headers: Record<string, string>,
  rawQuery?: string,
): Promise<RawResponse> {
  return rawRequest({
    port,
    method: 'OPTIONS',
    bucket,
    key: 'photo.jpg',
    sign: false,
    headers,
    ...(rawQuery ? { rawQuery } : {}),
  });
}

describe('Bucket cors and preflights', () => {
  let h: Harness;
  const Bucket = bucketName();
  before(async () => {
    h = await startHarness();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
  });
  after(() => h.close());

  test('without rules a preflight is 403 AccessForbidden with COS message; GET ?cors is NoSuchCORSConfiguration', async () => {
    const r = await preflight(h.server.port, Bucket, {
      origin: 'http://app.example.com',
      'access-control-request-method': 'PUT',
    });
    assert.equal(r.status, 403);
    assert.equal(errorCode(r), 'AccessForbidden');
    assert.ok(r.text.includes('<Message>CORSResponse: This CORS request is not allowed.'), r.text);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    const get = await rawRequest({ port: h.server.port, method: 'GET', bucket: Bucket, query: { cors: '' } });
    assert.equal(get.status, 404);
    assert.equal(errorCode(get), 'NoSuchCORSConfiguration');
    // The official SDK turns that 404 into an empty rule list, as it does against COS.
    const sdk = await call(h.cos, 'getBucketCors', { Bucket, Region: REGION });
    assert.equal(sdk.err, null);
    assert.deepEqual(sdk.data.CORSRules, []);
  });

  test('official SDK: putBucketCors, getBucketCors round-trips every field', async () => {
    const put = await call(h.cos, 'putBucketCors', { Bucket, Region: REGION, CORSRules: RULES });
    assert.equal(put.err, null);
    const got = await call(h.cos, 'getBucketCors', { Bucket, Region: REGION });
    assert.equal(got.err, null);
    assert.equal(got.data.CORSRules.length, 2);
    const [first, second] = got.data.CORSRules;
    assert.equal(first.ID, 'uploads');
    assert.deepEqual(first.AllowedOrigins, ['http://*.example.com']);
    assert.deepEqual(first.AllowedMethods, ['PUT', 'GET', 'POST']);
    assert.deepEqual(first.ExposeHeaders, ['x-cos-meta-author']);
    assert.equal(first.MaxAgeSeconds, '600');
    assert.deepEqual(second.AllowedHeaders, ['Range', 'x-cos-meta-size']);
  });

  test('a preflight a rule allows gets its Access-Control-* headers, unsigned', async () => {
    const r = await preflight(h.server.port, Bucket, {
      origin: 'http://app.example.com',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'Content-Type, x-cos-meta-author,authorization',
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['access-control-allow-origin'], 'http://app.example.com');
    assert.equal(r.headers['access-control-allow-credentials'], 'true');
    assert.equal(r.headers['access-control-allow-methods'], 'PUT,GET,POST');
    assert.equal(r.headers['access-control-allow-headers'], 'content-type,x-cos-meta-author,authorization');
    assert.equal(r.headers['access-control-max-age'], '600');
    assert.equal(
      r.headers['access-control-expose-headers'],
      'x-cos-meta-author,ETag,Content-Length,x-cos-request-id,x-cos-hash-crc64ecma,x-cos-version-id',
    );
    assert.equal(r.headers.vary, 'Origin');
    // The second rule: a `*` origin answers `*` without credentials, and lists its own headers.
    const star = await preflight(h.server.port, Bucket, {
      origin: 'https://elsewhere.net',
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'Range',
    });
    assert.equal(star.status, 200, star.text);
    assert.equal(star.headers['access-control-allow-origin'], '*');
    assert.equal(star.headers['access-control-allow-credentials'], undefined);
    assert.equal(star.headers['access-control-allow-headers'], 'range,x-cos-meta-size');
    // Any resource of the bucket, even a sub-resource this server does not implement.
    const other = await preflight(
      h.server.port,
      Bucket,
      { origin: 'http://a.example.com', 'access-control-request-method': 'PUT' },
      'lifecycle',
    );
    assert.equal(other.status, 200, other.text);
    // A pre-signed URL's preflight carries the URL's query signature (made for PUT, or forged): a
    // preflight is never authenticated, so it is answered from the rules all the same.
    const presigned = await preflight(
      h.server.port,
      Bucket,
      { origin: 'http://a.example.com', 'access-control-request-method': 'PUT' },
      'partNumber=3&uploadId=none&q-sign-algorithm=sha1&q-ak=AKIDnobody&q-sign-time=1;2&q-key-time=1;2&q-header-list=host&q-url-param-list=partnumber;uploadid&q-signature=0000',
    );
    assert.equal(presigned.status, 200, presigned.text);
    assert.equal(presigned.headers['access-control-allow-origin'], 'http://a.example.com');
  });

  test('a preflight no rule allows is 403: origin, method and announced header are each checked', async () => {
    const refusals: Record<string, string>[] = [
      { origin: 'http://example.com', 'access-control-request-method': 'PUT' }, // `*.` needs a subdomain
      { origin: 'https://app.example.com', 'access-control-request-method': 'PUT' }, // scheme differs
      { origin: 'http://app.example.com', 'access-control-request-method': 'DELETE' },
      {
        origin: 'https://other.org',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'x-custom',
      },
    ];
    for (const headers of refusals) {
      const r = await preflight(h.server.port, Bucket, headers);
      assert.equal(r.status, 403, JSON.stringify(headers));
      assert.equal(errorCode(r), 'AccessForbidden');
      assert.equal(r.headers['access-control-allow-origin'], undefined);
    }
    const noOrigin = await preflight(h.server.port, Bucket, { 'access-control-request-method': 'PUT' });
    assert.equal(noOrigin.status, 400);
    assert.equal(errorCode(noOrigin), 'InvalidRequest');
    const noMethod = await preflight(h.server.port, Bucket, { origin: 'http://a.example.com' });
    assert.equal(noMethod.status, 400);
    const missing = await preflight(h.server.port, bucketName(), {
      origin: 'http://a.example.com',
      'access-control-request-method': 'PUT',
    });
    assert.equal(missing.status, 404);
    assert.equal(errorCode(missing), 'NoSuchBucket');
  });

  test('actual answers carry Allow-Origin and Expose-Headers, errors and auth failures included', async () => {
    const origin = 'http://app.example.com';
    await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'photo.jpg', Body: 'jpeg' });
    const ok = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'photo.jpg',
      headers: { origin },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['access-control-allow-origin'], origin);
    assert.ok(String(ok.headers['access-control-expose-headers']).split(',').includes('ETag'));
    assert.ok(
      String(ok.headers['access-control-expose-headers']).split(',').includes('x-cos-hash-crc64ecma'),
    );
    assert.equal(ok.headers.vary, 'Origin');
    const notFound = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'none',
      headers: { origin },
    });
    assert.equal(notFound.status, 404);
    assert.equal(notFound.headers['access-control-allow-origin'], origin);
    const badKey = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Bucket,
      key: 'x',
      body: 'x',
      headers: { origin },
      sign: { secretKey: 'wrong-secret-key-0000000000000000' },
    });
    assert.equal(badKey.status, 403);
    assert.equal(errorCode(badKey), 'SignatureDoesNotMatch');
    assert.equal(badKey.headers['access-control-allow-origin'], origin);
    // DELETE is not allowed for that origin: the answer has no Allow-Origin (the browser hides it).
    const del = await rawRequest({
      port: h.server.port,
      method: 'DELETE',
      bucket: Bucket,
      key: 'photo.jpg',
      headers: { origin },
    });
    assert.equal(del.status, 204);
    assert.equal(del.headers['access-control-allow-origin'], undefined);
    const noOrigin = await rawRequest({ port: h.server.port, method: 'GET', bucket: Bucket, key: 'none' });
    assert.equal(noOrigin.headers['access-control-allow-origin'], undefined);
  });

  test('PUT ?cors refuses bad configurations with full <Error> bodies and keeps the old one', async () => {
    const put = (body: string, sign?: false) =>
      rawRequest({
        port: h.server.port,
        method: 'PUT',
        bucket: Bucket,
        query: { cors: '' },
        body,
        headers: { 'content-type': 'application/xml' },
        ...(sign === false ? { sign } : {}),
      });
    const rule = (inner: string) => `<CORSConfiguration><CORSRule>${inner}</CORSRule></CORSConfiguration>`;
    const cases: [string, string][] = [
      ['<CORSConfiguration>', 'MalformedXML'],
      ['<CORSConfiguration/>', 'MalformedXML'],
      ['<Other/>', 'MalformedXML'],
      [rule('<AllowedMethod>GET</AllowedMethod>'), 'MalformedXML'],
      [rule('<AllowedOrigin>*</AllowedOrigin>'), 'MalformedXML'],
      [rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>'), 'InvalidArgument'],
      [
        rule('<AllowedOrigin>http://*.*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>'),
        'InvalidArgument',
      ],
      [
        rule(
          '<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>*</ExposeHeader>',
        ),
        'InvalidArgument',
      ],
      [
        rule(
          '<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>soon</MaxAgeSeconds>',
        ),
        'MalformedXML',
      ],
      [
        `<CORSConfiguration>${'<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>'.repeat(101)}</CORSConfiguration>`,
        'InvalidArgument',
      ],
      ['', 'MissingRequestBodyError'],
    ];
    for (const [body, code] of cases) {
      const r = await put(body);
      assert.equal(errorCode(r), code, body.slice(0, 80));
      assert.equal(r.status, COS_ERRORS[code as keyof typeof COS_ERRORS].status);
      assert.ok(r.text.includes('<RequestId>'), r.text);
    }
    const tooBig = await put(`<CORSConfiguration>${' '.repeat(70 * 1024)}</CORSConfiguration>`);
    assert.equal(errorCode(tooBig), 'XMLSizeLimit');
    const anonymous = await put(
      rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>'),
      false,
    );
    assert.equal(anonymous.status, 403);
    assert.equal(errorCode(anonymous), 'AccessDenied');
    const got = await call(h.cos, 'getBucketCors', { Bucket, Region: REGION });
    assert.equal(got.data.CORSRules.length, 2, 'refused PUTs left the configuration alone');
  });

  test('DELETE ?cors removes the rules (204); preflights are refused again', async () => {
    const Other = bucketName();
    await call(h.cos, 'putBucket', { Bucket: Other, Region: REGION });
    await call(h.cos, 'putBucketCors', { Bucket: Other, Region: REGION, CORSRules: RULES });
    const del = await call(h.cos, 'deleteBucketCors', { Bucket: Other, Region: REGION });
    assert.equal(del.err, null);
    assert.equal(del.data.statusCode, 204);
    const r = await preflight(h.server.port, Other, {
      origin: 'http://a.example.com',
      'access-control-request-method': 'PUT',
    });
    assert.equal(r.status, 403);
    const none = await rawRequest({ port: h.server.port, method: 'GET', bucket: Other, query: { cors: '' } });
    assert.equal(errorCode(none), 'NoSuchCORSConfiguration');
    const gone = await rawRequest({
      port: h.server.port,
      method: 'DELETE',
      bucket: bucketName(),
      query: { cors: '' },
    });
    assert.equal(errorCode(gone), 'NoSuchBucket');
  });
});

describe('CORS configuration is durable and works on the memory store', () => {
  test('the rules survive a restart on the same data directory', async () => {
    const h = await startHarness();
    const Bucket = bucketName();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    assert.equal(
      (await call(h.cos, 'putBucketCors', { Bucket, Region: REGION, CORSRules: RULES })).err,
      null,
    );
    await h.server.close();
    const again = await startServer({ port: 0, dataDir: h.dataDir, logLevel: 'silent', region: REGION });
    try {
      const r = await preflight(again.port, Bucket, {
        origin: 'http://a.example.com',
        'access-control-request-method': 'POST',
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['access-control-allow-methods'], 'PUT,GET,POST');
    } finally {
      await again.close();
      await h.close().catch(() => {});
    }
  });

  test('memory store: put, preflight, delete', async () => {
    const h = await startHarness({ storage: 'memory' });
    try {
      const Bucket = bucketName();
      await call(h.cos, 'putBucket', { Bucket, Region: REGION });
      assert.equal(
        (await call(h.cos, 'putBucketCors', { Bucket, Region: REGION, CORSRules: RULES })).err,
        null,
      );
      const r = await preflight(h.server.port, Bucket, {
        origin: 'http://a.example.com',
        'access-control-request-method': 'GET',
      });
      assert.equal(r.status, 200);
      await call(h.cos, 'deleteBucketCors', { Bucket, Region: REGION });
      const after = await preflight(h.server.port, Bucket, {
        origin: 'http://a.example.com',
        'access-control-request-method': 'GET',
      });
      assert.equal(after.status, 403);
    } finally {
      await h.close();
    }
  });
});

describe('server default rules (coskit serve --cors)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      cors: [
        {
          AllowedOrigin: ['http://localhost:5173'],
          AllowedMethod: ['GET', 'PUT'],
          AllowedHeader: ['*'],
          ExposeHeader: [],
        },
      ],
    });
  });
  after(() => h.close());

  test('apply to buckets without their own rules and to the service; a bucket rule set overrides them', async () => {
    const origin = 'http://localhost:5173';
    const Bucket = bucketName();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    const r = await preflight(h.server.port, Bucket, { origin, 'access-control-request-method': 'PUT' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['access-control-allow-origin'], origin);
    const service = await rawRequest({
      port: h.server.port,
      method: 'OPTIONS',
      bucket: '',
      rawPath: '/',
      sign: false,
      headers: { host: '127.0.0.1', origin, 'access-control-request-method': 'GET' },
    });
    assert.equal(service.status, 200, service.text);
    await call(h.cos, 'putBucketCors', {
      Bucket,
      Region: REGION,
      CORSRules: [{ AllowedOrigin: ['https://prod.example.com'], AllowedMethod: ['GET'] }],
    });
    const overridden = await preflight(h.server.port, Bucket, {
      origin,
      'access-control-request-method': 'PUT',
    });
    assert.equal(overridden.status, 403);
  });

  test('startServer refuses an invalid default rule', async () => {
    await assert.rejects(
      startServer({
        port: 0,
        storage: 'memory',
        logLevel: 'silent',
        cors: [{ AllowedOrigin: ['*'], AllowedMethod: ['TRACE'], AllowedHeader: [], ExposeHeader: [] }],
      }),
      /unsupported AllowedMethod "TRACE"/,
    );
  });
});
