/** putBucketCors / getBucketCors / deleteBucketCors against the coskit server, and bad arguments before I/O. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CosClientError, CosServiceError } from '../src/index.js';
import { bucketName, type ClientHarness, rejection, startClientHarness } from './support/client-harness.js';

describe('Bucket cors', () => {
  let h: ClientHarness;
  const Bucket = bucketName('cors');
  before(async () => {
    h = await startClientHarness();
    await h.client.createBucket({ Bucket });
  });
  after(() => h.close());

  test('put, get (lists and numbers typed), delete; a bucket without rules is NoSuchCORSConfiguration', async () => {
    const none = await rejection(h.client.getBucketCors({ Bucket }));
    assert.ok(none instanceof CosServiceError);
    assert.equal(none.errorCode, 'NoSuchCORSConfiguration');
    assert.equal(none.statusCode, 404);

    const put = await h.client.putBucketCors({
      Bucket,
      CORSConfiguration: {
        CORSRule: [
          {
            ID: 'web',
            AllowedOrigin: 'https://app.example.com',
            AllowedMethod: ['put', 'GET'],
            AllowedHeader: '*',
            MaxAgeSeconds: 300,
          },
          { AllowedOrigin: ['*'], AllowedMethod: 'HEAD', ExposeHeader: ['x-cos-meta-author'] },
        ],
      },
    });
    assert.equal(put.statusCode, 200);
    const got = await h.client.getBucketCors({ Bucket });
    assert.deepEqual(got.CORSRule, [
      {
        ID: 'web',
        AllowedOrigin: ['https://app.example.com'],
        AllowedMethod: ['PUT', 'GET'],
        AllowedHeader: ['*'],
        ExposeHeader: [],
        MaxAgeSeconds: 300,
      },
      {
        AllowedOrigin: ['*'],
        AllowedMethod: ['HEAD'],
        AllowedHeader: [],
        ExposeHeader: ['x-cos-meta-author'],
      },
    ]);
    assert.ok(got['x-cos-request-id'].length > 0);
    assert.equal((await h.client.deleteBucketCors({ Bucket })).statusCode, 204);
    assert.equal(
      ((await rejection(h.client.getBucketCors({ Bucket }))) as CosServiceError).errorCode,
      'NoSuchCORSConfiguration',
    );
  });

  test('invalid configurations fail before any request, saying what to change', async () => {
    h.proxy.reset();
    const bad: [unknown, RegExp][] = [
      [undefined, /CORSConfiguration must be/],
      [{ CORSRule: [] }, /at least one <CORSRule>/],
      [{ CORSRule: { AllowedOrigin: [], AllowedMethod: 'GET' } }, /AllowedOrigin/],
      [{ CORSRule: { AllowedOrigin: '*', AllowedMethod: 'PATCH' } }, /unsupported AllowedMethod "PATCH"/],
      [
        { CORSRule: { AllowedOrigin: '*', AllowedMethod: 'GET', MaxAgeSeconds: -5 } },
        /MaxAgeSeconds must be/,
      ],
      [{ CORSRule: { AllowedOrigin: '*', AllowedMethod: 'GET', ExposeHeader: '*' } }, /cannot be a wildcard/],
    ];
    for (const [CORSConfiguration, message] of bad) {
      const err = await rejection(
        h.proxied.putBucketCors({ Bucket, CORSConfiguration } as Parameters<
          typeof h.client.putBucketCors
        >[0]),
      );
      assert.ok(err instanceof CosClientError, String(err));
      assert.match(err.message, message);
    }
    assert.equal(h.proxy.requests.length, 0, 'no request reached the server');
  });
});
