/**
 * The web console's paths: `/_console/` serves the files of `consoleDir` (types, caching,
 * conditional and compressed GETs, security headers), refuses everything else with a COS error,
 * and shadows no bucket, key or signature check; without a console the path is `404 NoSuchBucket`.
 * The directory here is a small fixture: the real console is tested in a browser by
 * packages/console/test.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { signRequest } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL, startServer } from '../src/index.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, rawRequest } from './support/raw.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request with exactly these headers (no automatic decompression, unlike fetch). */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const INDEX = `<!doctype html><title>console</title>${'<p>padding so that gzip pays</p>'.repeat(40)}`;
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))});`;

describe('the console at /_console/', () => {
  let dir: string;
  let h: Harness;
  let port: number;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coskit-console-fixture-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), INDEX);
    await writeFile(join(dir, 'assets', 'app-1a2b3c.js'), SCRIPT);
    await writeFile(join(dir, 'assets', 'app-1a2b3c.css'), 'body{margin:0}');
    await writeFile(join(dir, 'assets', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    h = await startHarness({ storage: 'memory', consoleDir: dir });
    port = h.server.port;
  });
  after(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('/_console/ is the page: HTML, revalidated on each load, with an ETag and the security headers', async () => {
    assert.equal(h.server.consoleUrl, `http://127.0.0.1:${port}/_console/`);
    const r = await send(port, 'GET', '/_console/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.match(String(r.headers['etag']), /^"[0-9a-f]{32}"$/);
    assert.equal(r.body.toString(), INDEX);
    assert.match(String(r.headers['content-security-policy']), /default-src 'none'.*connect-src 'self'/);
    assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.ok(r.headers['x-cos-request-id'], 'like every answer, it carries a request id');
    const index = await send(port, 'GET', '/_console/index.html');
    assert.equal(index.body.toString(), INDEX);

    const again = await send(port, 'GET', '/_console/', { 'if-none-match': String(r.headers['etag']) });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const changed = await send(port, 'GET', '/_console/', { 'if-none-match': '"0000"' });
    assert.equal(changed.status, 200);

    const head = await send(port, 'HEAD', '/_console/');
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers['content-length']), Buffer.byteLength(INDEX));
    assert.equal(head.body.length, 0);
  });

  test('/_console redirects to /_console/ (the page’s relative URLs need the slash)', async () => {
    const r = await send(port, 'GET', '/_console');
    assert.equal(r.status, 301);
    assert.equal(r.headers['location'], '/_console/');
  });

  test('hashed assets are cached for a year; text types are sent gzip when asked, others never', async () => {
    const js = await send(port, 'GET', '/_console/assets/app-1a2b3c.js', { 'accept-encoding': 'gzip, br' });
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(js.headers['content-encoding'], 'gzip');
    assert.equal(js.headers['vary'], 'Accept-Encoding');
    assert.ok(js.body.length < SCRIPT.length);
    assert.equal(gunzipSync(js.body).toString(), SCRIPT);
    const plain = await send(port, 'GET', '/_console/assets/app-1a2b3c.js', {
      'accept-encoding': 'gzip;q=0',
    });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), SCRIPT);
    const css = await send(port, 'GET', '/_console/assets/app-1a2b3c.css');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    const png = await send(port, 'GET', '/_console/assets/logo.png', { 'accept-encoding': 'gzip' });
    assert.equal(png.headers['content-type'], 'image/png');
    assert.equal(png.headers['content-encoding'], undefined);
  });

  test('config.json tells the page its region and, on a development server, the development pair', async () => {
    const r = await send(port, 'GET', '/_console/config.json');
    assert.equal(r.status, 200);
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.deepEqual(JSON.parse(r.body.toString()), {
      region: REGION,
      developmentCredential: {
        secretId: DEVELOPMENT_CREDENTIAL.secretId,
        secretKey: DEVELOPMENT_CREDENTIAL.secretKey,
      },
    });
    const own = await startServer({
      port: 0,
      storage: 'memory',
      logLevel: 'silent',
      consoleDir: dir,
      credentials: [{ secretId: 'AKIDOWNKEY0000000000000000000000000', secretKey: 'own-secret' }],
    });
    try {
      const cfg = await send(own.port, 'GET', '/_console/config.json');
      assert.deepEqual(JSON.parse(cfg.body.toString()), {
        region: 'ap-guangzhou',
        developmentCredential: null,
      });
    } finally {
      await own.close();
    }
  });

  test('anything else under /_console/ is 404 NoSuchKey with an <Error> body; writes are 405', async () => {
    for (const path of [
      '/_console/missing.js',
      '/_console/assets/',
      '/_console/assets/../index.html',
      '/_console/%2e%2e/index.html',
      '/_console/assets/app-1a2b3c.js/',
      '/_console/assets',
    ]) {
      const r = await send(port, 'GET', path);
      assert.equal(r.status, 404, path);
      assert.match(r.body.toString(), /<Error><Code>NoSuchKey<\/Code>.*<RequestId>/, path);
    }
    for (const method of ['PUT', 'POST', 'DELETE']) {
      const r = await send(port, method, '/_console/');
      assert.equal(r.status, 405, method);
      assert.match(r.body.toString(), /<Code>MethodNotAllowed<\/Code>/);
    }
  });

  test('every other path keeps its addressing and signature checks', async () => {
    const Bucket = bucketName();
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    // Path style from the console's own origin, signed as a page would sign it: host 127.0.0.1:port.
    const host = `127.0.0.1:${port}`;
    const signed = (method: string, pathname: string, secretKey = DEVELOPMENT_CREDENTIAL.secretKey) => ({
      host,
      authorization: signRequest({
        secretId: DEVELOPMENT_CREDENTIAL.secretId,
        secretKey,
        method,
        pathname,
        headers: { host },
      }),
    });
    const list = await send(port, 'GET', `/${Bucket}/`, signed('GET', `/${Bucket}/`));
    assert.equal(list.status, 200);
    assert.match(list.body.toString(), /<ListBucketResult/);
    const forged = await send(port, 'GET', `/${Bucket}/`, signed('GET', `/${Bucket}/`, 'not-the-key'));
    assert.equal(forged.status, 403);
    assert.match(forged.body.toString(), /<Code>SignatureDoesNotMatch<\/Code>/);
    const anonymous = await send(port, 'GET', `/${Bucket}/`);
    assert.equal(anonymous.status, 403);
    assert.match(anonymous.body.toString(), /<Code>AccessDenied<\/Code>/);
    // A look-alike of the prefix is an ordinary (impossible) bucket name.
    const lookalike = await send(port, 'GET', '/_consolex/');
    assert.equal(lookalike.status, 400);
    assert.match(lookalike.body.toString(), /<Code>InvalidBucketName<\/Code>/);
  });

  test("on a bucket's own host /_console/… is an ordinary object key", async () => {
    const Bucket = bucketName();
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    const key = '_console/index.html';
    const missing = await rawRequest({ port, method: 'GET', bucket: Bucket, key });
    assert.equal(missing.status, 404);
    assert.equal(errorCode(missing), 'NoSuchKey');
    const put = await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: key, Body: 'mine' });
    assert.equal(put.err, null);
    const got = await rawRequest({ port, method: 'GET', bucket: Bucket, key });
    assert.equal(got.text, 'mine');
    const unsigned = await rawRequest({ port, method: 'GET', bucket: Bucket, key, sign: false });
    assert.equal(unsigned.status, 403, 'a private object is not served to an anonymous request');
  });
});

describe('a server without a console', () => {
  test('/_console/ and /_console are 404 NoSuchBucket; health still answers', async () => {
    const server = await startServer({ port: 0, storage: 'memory', logLevel: 'silent' });
    try {
      assert.equal(server.consoleUrl, undefined);
      for (const path of ['/_console/', '/_console', '/_console/index.html']) {
        const r = await send(server.port, 'GET', path);
        assert.equal(r.status, 404, path);
        assert.match(r.body.toString(), /<Code>NoSuchBucket<\/Code><Message>[^<]*--no-console/, path);
      }
      assert.equal((await send(server.port, 'GET', '/_coskit/health')).status, 200);
    } finally {
      await server.close();
    }
  });

  test('a consoleDir that holds no built console fails the start and says what to do', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'coskit-console-empty-'));
    try {
      await assert.rejects(
        startServer({ port: 0, storage: 'memory', logLevel: 'silent', consoleDir: empty }),
        /has no index\.html: build the console \(npm run build\) or turn it off \(--no-console\)/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
