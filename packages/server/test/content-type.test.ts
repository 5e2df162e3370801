import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { contentTypeForKey } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { rawRequest } from './support/raw.js';

describe('Content-Type as COS assigns it from the key (issue 9 item 8)', () => {
  let h: Harness;
  const Bucket = bucketName();
  before(async () => {
    h = await startHarness();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
  });
  after(() => h.close());

  const typeOf = async (Key: string) =>
    (await call(h.cos, 'headObject', { Bucket, Region: REGION, Key })).data?.headers['content-type'];

  test('the shared table: extension → type, else application/octet-stream', () => {
    assert.equal(contentTypeForKey('1.zip'), 'application/zip');
    assert.equal(contentTypeForKey('a.txt'), 'text/plain');
    assert.equal(contentTypeForKey('dir/photo.JPG'), 'image/jpeg');
    assert.equal(contentTypeForKey('txt'), 'application/octet-stream');
    assert.equal(contentTypeForKey('archive.tar.gz'), 'application/gzip');
    assert.equal(contentTypeForKey('dir.d/noext'), 'application/octet-stream');
    assert.equal(contentTypeForKey('weird.unknown-ext'), 'application/octet-stream');
  });

  test('PUT without a Content-Type, or with an empty one, stores the type of the extension', async () => {
    for (const [key, headers] of [
      ['1.zip', {}],
      ['a.txt', { 'content-type': '' }],
      ['page.html', {}],
      ['blob', {}],
    ] as const) {
      const put = await rawRequest({
        port: h.server.port,
        method: 'PUT',
        bucket: Bucket,
        key,
        headers,
        body: 'x',
      });
      assert.equal(put.status, 200, put.text);
    }
    assert.equal(await typeOf('1.zip'), 'application/zip');
    assert.equal(await typeOf('a.txt'), 'text/plain');
    assert.equal(await typeOf('page.html'), 'text/html');
    assert.equal(await typeOf('blob'), 'application/octet-stream');
    // A type the client names wins.
    await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Bucket,
      key: 'named.zip',
      headers: { 'content-type': 'text/x-mine' },
      body: 'x',
    });
    assert.equal(await typeOf('named.zip'), 'text/x-mine');
  });

  test('the official SDK: putObject, appendObject and multipart uploads get the type of their key', async () => {
    assert.equal(
      (await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'sdk.json', Body: '{}' })).err,
      null,
    );
    assert.equal(await typeOf('sdk.json'), 'application/json');
    assert.equal(
      (
        await call(h.cos, 'appendObject', {
          Bucket,
          Region: REGION,
          Key: 'log.csv',
          Position: 0,
          Body: 'a,b\n',
        })
      ).err,
      null,
    );
    assert.equal(await typeOf('log.csv'), 'text/csv');
    const init = await call(h.cos, 'multipartInit', { Bucket, Region: REGION, Key: 'movie.mp4' });
    const UploadId = init.data.UploadId;
    const part = await call(h.cos, 'multipartUpload', {
      Bucket,
      Region: REGION,
      Key: 'movie.mp4',
      UploadId,
      PartNumber: 1,
      Body: 'frames',
    });
    const done = await call(h.cos, 'multipartComplete', {
      Bucket,
      Region: REGION,
      Key: 'movie.mp4',
      UploadId,
      Parts: [{ PartNumber: 1, ETag: part.data.ETag }],
    });
    assert.equal(done.err, null);
    assert.equal(await typeOf('movie.mp4'), 'video/mp4');
  });
});
