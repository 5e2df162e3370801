import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, type RawRequest, rawRequest } from './support/raw.js';

/**
 * Issue 9 item 9: keys with a leading `/` and `.`/`..` segments behave as COS treats them, and
 * PUT, HEAD, GET, DELETE and the listing agree on every one (see docs/PROTOCOL-DECISIONS.md).
 */
describe('odd keys: leading slashes and dot segments', () => {
  let h: Harness;
  const Bucket = bucketName();
  before(async () => {
    h = await startHarness();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
  });
  after(() => h.close());

  const raw = (r: Omit<RawRequest, 'port' | 'bucket'>) =>
    rawRequest({ port: h.server.port, bucket: Bucket, ...r });
  const listed = async (): Promise<string[]> =>
    (await call(h.cos, 'getBucket', { Bucket, Region: REGION })).data.Contents.map(
      (c: { Key: string }) => c.Key,
    );

  test('a key starting with "/" is 400 InvalidObjectName on every method, and nothing is stored', async () => {
    for (const rawPath of ['///////', '//abs/path', '/%2Fabs']) {
      for (const method of ['PUT', 'HEAD', 'GET', 'DELETE']) {
        const r = await raw({
          method,
          rawPath,
          sign: { pathname: `/${decodeURIComponent(rawPath).slice(1)}` },
          ...(method === 'PUT' ? { body: 'x' } : {}),
        });
        assert.equal(r.status, 400, `${method} ${rawPath}: ${r.text}`);
        if (method !== 'HEAD') assert.equal(errorCode(r), 'InvalidObjectName');
      }
    }
    assert.deepEqual(await listed(), []);
    // The official SDK strips one leading "/" from Key: PUT and HEAD of "/a" both name "a".
    assert.equal(
      (await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: '/lead', Body: 'l' })).err,
      null,
    );
    assert.equal((await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: '/lead' })).err, null);
    assert.deepEqual(await listed(), ['lead']);
  });

  test('"/./" and "/x/.." address the bucket, as on COS: PUT is PUT Bucket, GET lists, nothing is stored', async () => {
    for (const rawPath of ['/./', '/.', '/x/..', '/%2E/', '/x/%2e%2E']) {
      const put = await raw({ method: 'PUT', rawPath, sign: { pathname: '/' }, body: 'not an object' });
      assert.equal(errorCode(put), 'BucketAlreadyOwnedByYou', `${rawPath}: ${put.text}`);
      const get = await raw({ method: 'GET', rawPath, sign: { pathname: '/' } });
      assert.match(get.text, /<ListBucketResult>/, rawPath);
    }
    assert.deepEqual(await listed(), ['lead']);
  });

  test('dot segments inside a key resolve before the key is used; ".%2F" (the Python SDK form) is literal', async () => {
    const cases = [
      { rawPath: '/dir/../x.txt', key: 'x.txt' },
      { rawPath: '/a/./b/./c', key: 'a/b/c' },
      { rawPath: '/../../escape', key: 'escape' },
      { rawPath: '/d/.', key: 'd/' },
      { rawPath: '/p/.%2Fq', key: 'p/./q' },
      { rawPath: '/..%2F..%2Fetc/passwd', key: '../../etc/passwd' },
    ];
    for (const { rawPath, key } of cases) {
      const put = await raw({
        method: 'PUT',
        rawPath,
        sign: { pathname: `/${key}` },
        body: `body of ${key}`,
      });
      assert.equal(put.status, 200, `${rawPath}: ${put.text}`);
      // The same wire form and the resolved key agree on HEAD and GET.
      const head = await raw({ method: 'HEAD', rawPath, sign: { pathname: `/${key}` } });
      assert.equal(head.status, 200, rawPath);
      const get = await raw({ method: 'GET', key });
      assert.equal(get.text, `body of ${key}`, key);
    }
    const keys = await listed();
    for (const { key } of cases) assert.ok(keys.includes(key), `${key} listed in ${keys}`);
    for (const { rawPath, key } of cases) {
      const del = await raw({ method: 'DELETE', rawPath, sign: { pathname: `/${key}` } });
      assert.equal(del.status, 204, rawPath);
    }
    assert.deepEqual(await listed(), ['lead']);
  });

  test('a signature over the unresolved path does not authorise the resolved one', async () => {
    const r = await raw({ method: 'PUT', rawPath: '/dir/../y', sign: { pathname: '/dir/../y' }, body: 'y' });
    assert.equal(errorCode(r), 'SignatureDoesNotMatch');
    assert.deepEqual(await listed(), ['lead']);
  });
});
