/** postObject (a form upload from Node) and buildPostPolicy (what a backend hands a page), against the coskit server. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CosClientError, CosServiceError } from '../src/index.js';
import {
  bucketName,
  type ClientHarness,
  crcOf,
  md5Hex,
  readAll,
  rejection,
  startClientHarness,
} from './support/client-harness.js';

describe('POST Object', () => {
  let h: ClientHarness;
  const Bucket = bucketName('post');
  before(async () => {
    h = await startClientHarness();
    await h.client.createBucket({ Bucket });
  });
  after(() => h.close());

  test('postObject stores the body with its Content-Type, metadata and ACL; ETag and CRC-64 answered', async () => {
    const Body = Buffer.from('posted from node');
    const r = await h.client.postObject({
      Bucket,
      Key: 'forms/a.txt',
      Body,
      ContentType: 'text/plain; charset=utf-8',
      Metadata: { author: 'ann' },
      ACL: 'public-read',
      SuccessActionStatus: 201,
    });
    assert.equal(r.statusCode, 201);
    assert.equal(r.ETag, `"${md5Hex(Body)}"`);
    assert.equal(r['x-cos-hash-crc64ecma'], crcOf(Body));
    assert.match(r.Location, /\/forms\/a\.txt$/);
    const got = await h.client.getObject({ Bucket, Key: 'forms/a.txt' });
    assert.ok((await readAll(got.Body)).equals(Body));
    assert.equal(got.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(got.headers['x-cos-meta-author'], 'ann');
    // Sent without an Authorization header: the form's policy signature is what authenticated it.
    h.proxy.reset();
    await h.proxied.postObject({ Bucket, Key: 'forms/b.txt', Body: 'b' });
    assert.equal(h.proxy.requests.length, 1);
    assert.equal(h.proxy.requests[0]!.headers['authorization'], undefined);
  });

  test('a size range the body breaks is refused by the server with EntityTooLarge', async () => {
    const err = await rejection(
      h.client.postObject({ Bucket, Key: 'forms/big', Body: 'x'.repeat(100), ContentLengthRange: [1, 10] }),
    );
    assert.ok(err instanceof CosServiceError, String(err));
    assert.equal(err.errorCode, 'EntityTooLarge');
  });

  test("buildPostPolicy: a page's FormData with the returned fields uploads, and only under the bound prefix", async () => {
    const { url, fields } = await h.client.buildPostPolicy({
      Bucket,
      KeyPrefix: 'user-7/',
      Fields: { 'Content-Type': 'image/png' },
      ContentLengthRange: [1, 1024],
      Expires: 300,
    });
    assert.equal(url, `http://127.0.0.1:${h.server.port}/${Bucket}/`);
    const upload = (key: string) => {
      const form = new FormData();
      for (const [name, value] of Object.entries({ ...fields, key })) form.append(name, value);
      form.append('file', new Blob([Buffer.from('png bytes')], { type: 'image/png' }), 'pic.png');
      return fetch(url, { method: 'POST', body: form });
    };
    const ok = await upload('user-7/${filename}');
    assert.equal(ok.status, 204, await ok.text());
    const head = await h.client.headObject({ Bucket, Key: 'user-7/pic.png' });
    assert.equal(head.headers['content-type'], 'image/png');
    const refused = await upload('user-8/pic.png');
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /<Code>AccessDenied<\/Code>/);
  });

  test('bad arguments fail before any request', async () => {
    h.proxy.reset();
    const bad: [Promise<unknown>, RegExp][] = [
      [h.proxied.buildPostPolicy({ Bucket }), /Key or KeyPrefix/],
      [
        h.proxied.buildPostPolicy({ Bucket, KeyPrefix: '', ContentLengthRange: [9, 1] }),
        /contentLengthRange/,
      ],
      [h.proxied.buildPostPolicy({ Bucket, KeyPrefix: '', Expires: 0 }), /expires/],
      [h.proxied.postObject({ Bucket, Key: 'k', Body: 5 as unknown as string }), /Body must be/],
      [h.proxied.postObject({ Bucket: 'Bad_Bucket', Key: 'k', Body: 'x' }), /Bucket/],
    ];
    for (const [call, message] of bad) {
      const err = await rejection(call);
      assert.ok(err instanceof CosClientError, String(err));
      assert.match(err.message, message);
    }
    assert.equal(h.proxy.requests.length, 0);
  });
});
