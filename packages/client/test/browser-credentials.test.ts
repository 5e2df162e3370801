/**
 * Credentials for pages that hold no permanent key, in headless Chromium against `coskit serve`:
 * `getAuthorization` answered by the page's "backend" (a function the test exposes to the page,
 * signing with `@coskit/protocol` in Node) with a per-request Authorization or with temporary keys,
 * the `Credentials` provider refreshed before expiry, and pre-signed Upload Part URLs that a page
 * PUTs parts to.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { signRequest } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL } from '@coskit/server';
import { type AuthorizationRequest, CosConfig, CosS3Client } from '../src/index.js';
import { type BrowserHarness, REGION, startBrowserHarness } from './support/browser-harness.js';

const Bucket = 'keyless-1250000000';
/** Temporary keys the server accepts only with their token. */
const TEMP = [
  { secretId: 'AKIDtemporary1111111111111111111111', secretKey: 'temporary-secret-1', token: 'token-one' },
  { secretId: 'AKIDtemporary2222222222222222222222', secretKey: 'temporary-secret-2', token: 'token-two' },
];

describe('keys for a page that holds none', () => {
  let h: BrowserHarness;
  /** What the backend was asked, in order. */
  const asked: {
    Method: string;
    Pathname: string;
    Query: Record<string, string>;
    Headers: Record<string, string>;
  }[] = [];
  let stsAnswers: number[] = [];
  before(async () => {
    h = await startBrowserHarness({ credentials: TEMP });
    await h.node.createBucket({ Bucket });
    // The page's backend: signs exactly what the SDK shows it, with a key the page never sees.
    await h.page.page.exposeFunction('backendSign', (request: (typeof asked)[number]) => {
      asked.push(request);
      return {
        Authorization: signRequest({
          secretId: DEVELOPMENT_CREDENTIAL.secretId,
          secretKey: DEVELOPMENT_CREDENTIAL.secretKey,
          method: request.Method,
          pathname: request.Pathname,
          query: request.Query,
          headers: request.Headers,
        }),
      };
    });
    // A backend handing out temporary keys: the pairs of TEMP in turn, living the next of stsAnswers (s).
    let stsCalls = 0;
    await h.page.page.exposeFunction('backendSts', () => {
      const lifetime = stsAnswers.shift() ?? 3600;
      const keys = TEMP[stsCalls++ % TEMP.length]!;
      return {
        TmpSecretId: keys.secretId,
        TmpSecretKey: keys.secretKey,
        SecurityToken: keys.token,
        ExpiredTime: Math.floor(Date.now() / 1000) + lifetime,
      };
    });
  });
  after(() => h?.close());

  test('getAuthorization answering an Authorization: every request is signed by the backend, presigned URLs too', async () => {
    asked.length = 0;
    const out = await h.inPage(async (coskit, config, bucket: string) => {
      const { SecretId: _id, SecretKey: _key, ...where } = config as Record<string, unknown>;
      const backend = (
        globalThis as unknown as { backendSign: (r: unknown) => Promise<{ Authorization: string }> }
      ).backendSign;
      const client = new coskit.CosS3Client(
        new coskit.CosConfig({
          ...where,
          // cos-js-sdk-v5's shape: the answer goes to the callback.
          getAuthorization: (request, callback) => {
            backend(request).then(callback);
          },
        }),
      );
      const put = await client.putObject({
        Bucket: bucket,
        Key: 'signed/a.txt',
        Body: 'by the backend',
        ContentType: 'text/plain',
      });
      const head = await client.headObject({ Bucket: bucket, Key: 'signed/a.txt' });
      const list = await client.listObjects({ Bucket: bucket, Prefix: 'signed/' });
      const url = await client.getPresignedUrl({ Bucket: bucket, Key: 'signed/a.txt' });
      const fetched = await (await fetch(url)).text();
      let keysNeeded = '';
      try {
        await client.buildPostPolicy({ Bucket: bucket, KeyPrefix: 'x/' });
      } catch (e) {
        keysNeeded = (e as Error).message;
      }
      return {
        etag: put.ETag,
        size: head['Content-Length'],
        keys: list.Contents.map((o) => o.Key),
        url,
        fetched,
        keysNeeded,
      };
    }, Bucket);
    assert.equal(out.etag, `"${createHash('md5').update('by the backend').digest('hex')}"`);
    assert.equal(out.size, 'by the backend'.length);
    assert.deepEqual(out.keys, ['signed/a.txt']);
    assert.equal(out.fetched, 'by the backend');
    assert.doesNotMatch(out.url, new RegExp(DEVELOPMENT_CREDENTIAL.secretKey), 'no key in the page');
    assert.match(out.keysNeeded, /getAuthorization answered with an Authorization, not keys/);
    // One backend call per request (PUT, HEAD, GET Bucket, the presigned URL), each as sent; then
    // buildPostPolicy asked for keys and got a signature instead.
    assert.deepEqual(
      asked.map((a) => `${a.Method} ${a.Pathname}`),
      [
        `put /${Bucket}/signed/a.txt`,
        `head /${Bucket}/signed/a.txt`,
        `get /${Bucket}/`,
        `get /${Bucket}/signed/a.txt`,
        'get /',
      ],
    );
    assert.equal(asked[0]?.Headers['content-type'], 'text/plain');
    assert.equal(asked[0]?.Headers['host'], `127.0.0.1:${h.server.port}`);
    assert.equal(asked[2]?.Query['prefix'], 'signed/');
  });

  test('a backend signature that does not match the request is refused by the server (403), not retried away', async () => {
    const out = await h.inPage(async (coskit, config, bucket: string) => {
      const { SecretId: _id, SecretKey: _key, ...where } = config as Record<string, unknown>;
      const backend = (
        globalThis as unknown as { backendSign: (r: unknown) => Promise<{ Authorization: string }> }
      ).backendSign;
      const client = new coskit.CosS3Client(
        new coskit.CosConfig({
          ...where,
          // A backend that signs another key than the one requested.
          getAuthorization: async (request: AuthorizationRequest) =>
            backend({ ...request, Pathname: `${request.Pathname}-other` }),
        }),
      );
      try {
        await client.putObject({ Bucket: bucket, Key: 'signed/forged.txt', Body: 'x' });
        return 'stored';
      } catch (e) {
        return `${(e as { statusCode: number }).statusCode} ${(e as { errorCode: string }).errorCode}`;
      }
    }, Bucket);
    assert.equal(out, '403 SignatureDoesNotMatch');
    await assert.rejects(h.node.headObject({ Bucket, Key: 'signed/forged.txt' }), { statusCode: 404 });
  });

  test('temporary keys from getAuthorization or a Credentials provider are cached, and asked for again before they expire', async () => {
    for (const mode of ['getAuthorization', 'Credentials'] as const) {
      // First keys expire in 30 s (inside the 60 s refresh margin: used once, then replaced);
      // the second pair lasts an hour.
      stsAnswers = [30, 3600];
      const out = await h.inPage(
        async (coskit, config, a: { bucket: string; mode: string }) => {
          const { SecretId: _id, SecretKey: _key, ...where } = config as Record<string, unknown>;
          let calls = 0;
          const sts = async () => {
            calls++;
            return (
              globalThis as unknown as {
                backendSts: () => Promise<{
                  TmpSecretId: string;
                  TmpSecretKey: string;
                  SecurityToken: string;
                  ExpiredTime: number;
                }>;
              }
            ).backendSts();
          };
          const client = new coskit.CosS3Client(
            new coskit.CosConfig(
              a.mode === 'getAuthorization'
                ? { ...where, getAuthorization: () => sts() }
                : {
                    ...where,
                    Credentials: async () => {
                      const k = await sts();
                      return {
                        SecretId: k.TmpSecretId,
                        SecretKey: k.TmpSecretKey,
                        Token: k.SecurityToken,
                        ExpiredTime: k.ExpiredTime * 1000,
                      };
                    },
                  },
            ),
          );
          const etags: string[] = [];
          for (let i = 0; i < 4; i++) {
            etags.push(
              (await client.putObject({ Bucket: a.bucket, Key: `sts/${a.mode}/${i}`, Body: `n${i}` })).ETag,
            );
          }
          const url = await client.getPresignedUrl({ Bucket: a.bucket, Key: `sts/${a.mode}/0` });
          return { calls, etags, url, fetched: await (await fetch(url)).text() };
        },
        { bucket: Bucket, mode },
      );
      assert.equal(out.calls, 2, `${mode}: asked once, then again for the keys about to expire, then cached`);
      assert.equal(out.etags.length, 4);
      assert.equal(out.fetched, 'n0', `${mode}: the presigned URL works`);
      assert.match(out.url, /x-cos-security-token=token-/);
    }
  });

  test('pre-signed Upload Part URLs let a page upload parts with plain fetch; each URL is bound to its part', async () => {
    const Key = 'presigned/parts.bin';
    const { UploadId } = await h.node.createMultipartUpload({ Bucket, Key });
    const sizes = [1024 * 1024, 1000];
    // The backend presigns for the address the page reaches (path style on 127.0.0.1:port).
    const backend = new CosS3Client(
      new CosConfig({
        Region: REGION,
        SecretId: DEVELOPMENT_CREDENTIAL.secretId,
        SecretKey: DEVELOPMENT_CREDENTIAL.secretKey,
        Scheme: 'http',
        Endpoint: `127.0.0.1:${h.server.port}`,
        ForcePathStyle: true,
      }),
    );
    const urls = await Promise.all(
      sizes.map((_, i) =>
        backend.getPresignedUrl({ Bucket, Key, UploadId, PartNumber: i + 1, Expired: 600 }),
      ),
    );
    assert.ok(
      urls.every(
        (u) => /[?&]partNumber=\d&/.test(u) && u.includes(`uploadId=${encodeURIComponent(UploadId)}`),
      ),
    );
    assert.ok(
      urls.every((u) => /q-url-param-list=partnumber(;|%3B)uploadid/i.test(u)),
      urls[0],
    );
    const out = await h.inPage(
      async (_coskit, _config, a: { urls: string[]; sizes: number[] }) => {
        const etags: (string | null)[] = [];
        for (const [i, url] of a.urls.entries()) {
          const body = new Uint8Array(a.sizes[i]!).fill(i + 1);
          etags.push((await fetch(url, { method: 'PUT', body })).headers.get('etag'));
        }
        // The first URL with another part number: its signature no longer covers the request.
        const forged = await fetch(a.urls[0]!.replace('partNumber=1', 'partNumber=3'), {
          method: 'PUT',
          body: 'x',
        });
        return { etags, forged: forged.status };
      },
      { urls, sizes },
    );
    assert.equal(out.forged, 403);
    const listed = await h.node.listParts({ Bucket, Key, UploadId });
    assert.deepEqual(
      listed.Part.map((p) => [p.PartNumber, p.Size, p.ETag]),
      sizes.map((size, i) => [i + 1, size, out.etags[i]]),
    );
  });
});
