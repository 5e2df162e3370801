/**
 * The front of request handling: reserved server paths ahead of bucket routing, and the choice
 * of a signature verifier by the request's form.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { type AuthInput, authenticate, VERIFIERS } from '../src/http/auth.js';
import { DEVELOPMENT_CREDENTIAL } from '../src/index.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, rawRequest } from './support/raw.js';

describe('reserved paths and verifier selection', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('GET and HEAD /_coskit/health answer 200 without a signature; other methods 405', async () => {
    const base = `http://127.0.0.1:${h.server.port}`;
    const get = await fetch(`${base}/_coskit/health`);
    assert.equal(get.status, 200);
    assert.deepEqual(await get.json(), { status: 'ok' });
    const head = await fetch(`${base}/_coskit/health`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    const post = await fetch(`${base}/_coskit/health`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.match(await post.text(), /<Code>MethodNotAllowed<\/Code>/);
    // Not a reserved name: ordinary path-style routing (no such bucket name can exist).
    const other = await fetch(`${base}/_coskit/console-not-yet`);
    assert.notEqual(other.status, 200);
    assert.match(await other.text(), /<Error>/);
  });

  test("on a bucket's own host /_coskit/health is an ordinary object key", async () => {
    const Bucket = bucketName();
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    const missing = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: '_coskit/health',
    });
    assert.equal(missing.status, 404);
    assert.equal(errorCode(missing), 'NoSuchKey');
    const put = await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: '_coskit/health',
      Body: 'mine',
    });
    assert.equal(put.err, null);
    const got = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: '_coskit/health',
    });
    assert.equal(got.status, 200);
    assert.equal(got.text, 'mine');
  });

  test('a verifier is chosen by the form: SigV4 for AWS4-… or X-Amz-*, q-sign for other Authorization or q-sign query fields, else anonymous', () => {
    assert.deepEqual(
      VERIFIERS.map((v) => v.name),
      ['sigv4', 'q-sign'],
    );
    const credentials = new Map([[DEVELOPMENT_CREDENTIAL.secretId, DEVELOPMENT_CREDENTIAL]]);
    const input = (headers: Record<string, string>, query: [string, string][] = []): AuthInput => ({
      method: 'GET',
      signedPaths: ['/k'],
      query,
      header: (name) => headers[name],
      nowSeconds: Math.floor(Date.now() / 1000),
      // Only what a verifier reads of the request: its headers with repeats kept.
      req: {
        headersDistinct: Object.fromEntries(Object.entries(headers).map(([n, v]) => [n, [v]])),
      } as unknown as IncomingMessage,
      rawPath: '/k',
      region: 'ap-guangzhou',
    });
    assert.deepEqual(authenticate(input({}), credentials), { principal: { kind: 'anonymous' } });
    assert.deepEqual(authenticate(input({ authorization: '  ' }, [['prefix', 'a']]), credentials), {
      principal: { kind: 'anonymous' },
    });
    assert.throws(
      () => authenticate(input({ authorization: 'AWS4-HMAC-SHA256 Credential=x' }), credentials),
      (e: { code?: string }) => e.code === 'AuthorizationHeaderMalformed',
    );
    assert.throws(
      () => authenticate(input({}, [['X-Amz-Algorithm', 'AWS4-HMAC-SHA256']]), credentials),
      (e: { code?: string }) => e.code === 'AuthorizationQueryParametersError',
    );
    assert.throws(
      () => authenticate(input({ authorization: 'q-sign-algorithm=sha1&q-ak=x' }), credentials),
      (e: { code?: string }) => e.code === 'AccessDenied',
    );
    assert.throws(
      () => authenticate(input({}, [['q-sign-algorithm', 'sha1']]), credentials),
      (e: { code?: string }) => e.code === 'AccessDenied',
    );
  });
});
