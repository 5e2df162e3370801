/**
 * CORS in a real browser: a page served from one origin `fetch()`es `coskit serve` at another.
 * Headless Chromium sends the preflight itself; when no rule allows it the actual request is never
 * sent, and when a rule does, the page uploads and reads the exposed ETag and CRC-64.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildPostPolicy, crc64, crc64ToDecimal, signRequest } from '@coskit/protocol';
import { type BrowserPage, openPage } from '@coskit/test-support/browser';
import { DEVELOPMENT_CREDENTIAL } from '../src/index.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';

interface FetchOutcome {
  ok: boolean;
  status?: number;
  etag?: string | null;
  crc?: string | null;
  requestId?: string | null;
  error?: string;
}

describe('CORS from a real browser', () => {
  let h: Harness;
  let browser: BrowserPage;
  const Bucket = bucketName();
  before(async () => {
    h = await startHarness({ storage: 'memory' });
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    browser = await openPage('window.ready = true;');
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  /** The page PUTs `body` to `key` with a signed Authorization and a custom header (so it preflights). */
  function putFromPage(key: string, body: string, extraHeader = 'x-cos-meta-author'): Promise<FetchOutcome> {
    const url = `http://127.0.0.1:${h.server.port}/${Bucket}/${key}`;
    const auth = signRequest({ ...keys(), method: 'PUT', pathname: `/${key}` });
    return browser.page.evaluate(
      async (u: string, a: string, b: string, header: string) => {
        try {
          const r = await fetch(u, { method: 'PUT', headers: { Authorization: a, [header]: 'me' }, body: b });
          return {
            ok: true,
            status: r.status,
            etag: r.headers.get('etag'),
            crc: r.headers.get('x-cos-hash-crc64ecma'),
            requestId: r.headers.get('x-cos-request-id'),
          };
        } catch (e) {
          return { ok: false, error: String(e) };
        }
      },
      url,
      auth,
      body,
      extraHeader,
    );
  }
  const keys = () => ({
    secretId: DEVELOPMENT_CREDENTIAL.secretId,
    secretKey: DEVELOPMENT_CREDENTIAL.secretKey,
  });

  test('a preflight no rule allows fails the fetch, and the PUT never reaches the store', async () => {
    const outcome = await putFromPage('refused.txt', 'nope');
    assert.equal(outcome.ok, false, JSON.stringify(outcome));
    assert.match(outcome.error ?? '', /Failed to fetch/);
    assert.equal(await h.server.store.getObject(Bucket, 'refused.txt'), undefined);
  });

  test('a preflight a rule allows lets the page upload and read ETag and CRC-64; a header the rule lacks is refused', async () => {
    const pageOrigin = new URL(browser.url).origin;
    const put = await call(h.cos, 'putBucketCors', {
      Bucket,
      Region: REGION,
      CORSRules: [
        {
          AllowedOrigin: [pageOrigin],
          AllowedMethod: ['PUT', 'GET'],
          AllowedHeader: ['authorization', 'content-type', 'x-cos-meta-author'],
          MaxAgeSeconds: 5,
        },
      ],
    });
    assert.equal(put.err, null);
    const body = 'hello from a page';
    const outcome = await putFromPage('allowed.txt', body);
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal(outcome.status, 200);
    assert.equal(outcome.etag, `"${createHash('md5').update(body).digest('hex')}"`);
    assert.equal(outcome.crc, crc64ToDecimal(crc64(Buffer.from(body))));
    assert.ok(outcome.requestId, 'x-cos-request-id is exposed');
    assert.equal((await h.server.store.getObject(Bucket, 'allowed.txt'))?.size, body.length);

    const refused = await putFromPage('other.txt', body, 'x-cos-meta-other');
    assert.equal(refused.ok, false, JSON.stringify(refused));
    assert.equal(await h.server.store.getObject(Bucket, 'other.txt'), undefined);
  });

  test('a page uploads a file by POST Object with the fields its backend signed, and reads the ETag', async () => {
    const pageOrigin = new URL(browser.url).origin;
    await call(h.cos, 'putBucketCors', {
      Bucket,
      Region: REGION,
      CORSRules: [{ AllowedOrigin: [pageOrigin], AllowedMethod: ['POST'], AllowedHeader: ['*'] }],
    });
    const { fields } = buildPostPolicy({
      ...keys(),
      bucket: Bucket,
      key: 'forms/${filename}',
      fields: { 'Content-Type': 'text/plain' },
      contentLengthRange: [1, 1024],
    });
    const url = `http://127.0.0.1:${h.server.port}/${Bucket}/`;
    const body = 'typed into a page';
    const outcome = await browser.page.evaluate(
      async (u: string, f: Record<string, string>, text: string) => {
        const form = new FormData();
        for (const [name, value] of Object.entries(f)) form.append(name, value);
        form.append('file', new File([text], 'note.txt', { type: 'application/octet-stream' }));
        try {
          const r = await fetch(u, { method: 'POST', body: form });
          return {
            ok: true,
            status: r.status,
            etag: r.headers.get('etag'),
            crc: r.headers.get('x-cos-hash-crc64ecma'),
          };
        } catch (e) {
          return { ok: false, error: String(e) };
        }
      },
      url,
      fields,
      body,
    );
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal(outcome.status, 204);
    assert.equal(outcome.etag, `"${createHash('md5').update(body).digest('hex')}"`);
    assert.equal(outcome.crc, crc64ToDecimal(crc64(Buffer.from(body))));
    const stored = await h.server.store.getObject(Bucket, 'forms/note.txt');
    assert.equal(stored?.size, body.length);
    assert.equal(stored?.headers['content-type'], 'text/plain');
  });
});
