/**
 * Requests shaped as third-party COS clients send them (coscmd, the COS Python SDK), driven raw
 * since neither has an npm package.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, rawRequest } from './support/raw.js';

describe('third-party client request shapes (issue 9)', () => {
  let h: Harness;
  const Bucket = bucketName();
  before(async () => {
    h = await startHarness();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'source.bin', Body: 'copy me whole' });
  });
  after(() => h.close());

  test('item 2: an empty x-cos-copy-source-range (Python upload_part_copy default) copies the whole object', async () => {
    const init = await call(h.cos, 'multipartInit', { Bucket, Region: REGION, Key: 'copied' });
    const UploadId = init.data.UploadId as string;
    // The Python SDK signs every x-cos-* header, the empty range included.
    const copy = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Bucket,
      key: 'copied',
      query: { partNumber: '1', uploadId: UploadId },
      headers: {
        'x-cos-copy-source': `${Bucket}.cos.${REGION}.myqcloud.com/source.bin`,
        'x-cos-copy-source-range': '',
      },
    });
    assert.equal(copy.status, 200, copy.text);
    assert.match(copy.text, /<CopyPartResult>/);
    const done = await call(h.cos, 'multipartComplete', {
      Bucket,
      Region: REGION,
      Key: 'copied',
      UploadId,
      Parts: [{ PartNumber: 1, ETag: /<ETag>([^<]+)<\/ETag>/.exec(copy.text)![1]!.replace(/&quot;/g, '"') }],
    });
    assert.equal(done.err, null);
    const got = await call(h.cos, 'getObject', { Bucket, Region: REGION, Key: 'copied' });
    assert.equal(got.data.Body.toString(), 'copy me whole');
  });

  test('item 7: HEAD errors carry the status and request id, but no x-cos-error-code header', async () => {
    for (const target of [
      { bucket: Bucket, key: 'no-such-key', status: 404 },
      { bucket: bucketName(), key: '', status: 404 },
      { bucket: Bucket, key: 'source.bin', status: 403, sign: false as const },
    ]) {
      const res = await rawRequest({ port: h.server.port, method: 'HEAD', ...target });
      assert.equal(res.status, target.status);
      assert.equal(res.headers['x-cos-error-code'], undefined, JSON.stringify(res.headers));
      assert.ok(String(res.headers['x-cos-request-id'] ?? '').length > 0);
      assert.equal(res.body.byteLength, 0);
    }
    // The official Node SDK still sees a 404 it can act on.
    const head = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'no-such-key' });
    assert.equal(head.err?.statusCode, 404);
    assert.equal(
      errorCode(await rawRequest({ port: h.server.port, method: 'GET', bucket: Bucket, key: 'no-such-key' })),
      'NoSuchKey',
    );
  });

  test('item 1: absolute-form targets (coscmd behind HTTP_PROXY) address and sign by their authority', async () => {
    const put = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Bucket,
      key: 'via proxy/文件.txt',
      body: 'sent through a proxy setting',
      absoluteForm: true,
    });
    assert.equal(put.status, 200, put.text);
    // RFC 9112 §3.2.2: the target's authority wins over a Host header that names something else.
    const get = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'via proxy/文件.txt',
      absoluteForm: true,
      sentHost: `127.0.0.1:${h.server.port}`,
    });
    assert.equal(get.status, 200, get.text);
    assert.equal(get.text, 'sent through a proxy setting');
    const list = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      query: { prefix: 'via proxy/' },
      absoluteForm: true,
    });
    assert.match(list.text, /<Key>via proxy\/文件.txt<\/Key>/);
    const sdk = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'via proxy/文件.txt' });
    assert.equal(sdk.data?.headers['content-length'], String('sent through a proxy setting'.length));
    // A signature over the Host header instead of the authority does not verify.
    const wrongHost = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'via proxy/文件.txt',
      absoluteForm: true,
      headers: { host: `127.0.0.1:${h.server.port}` },
    });
    assert.equal(errorCode(wrongHost), 'SignatureDoesNotMatch');
  });
});
