/**
 * `@coskit/client` in real headless Chromium and Firefox, against a real `coskit serve` with CORS:
 * the browser bundle takes no Node built-in (and its size is printed), and a page's calls — PUT of
 * bytes, text and a Blob, HEAD, GET as a web stream, listings, errors, Upload Part with byte
 * progress, cancellation by AbortSignal and retries of a reset connection — behave as in Node, in
 * each browser (the page loads the bundle as an ES module, so a Node built-in would fail it there).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { BROWSERS, bundleReport } from '@coskit/test-support/browser';
import { type BrowserHarness, startBrowserHarness } from './support/browser-harness.js';
import { startFaultProxy } from './support/fault-proxy.js';

const testDir = fileURLToPath(new URL('.', import.meta.url));
const Bucket = 'browser-1250000000';

test('the browser bundle of @coskit/client (esbuild, platform browser) takes in no Node built-in', async () => {
  const report = await bundleReport("export * from '@coskit/client';", testDir);
  assert.deepEqual(
    report.externalImports.filter((i) => i.startsWith('node:') || !i.startsWith('.')),
    [],
    'nothing left to Node',
  );
  assert.equal(/["']node:/.test(report.text), false, 'no node: specifier in the bundle');
  assert.ok(
    report.inputs.some((i) => i.endsWith('client/dist/src/browser.js')),
    'the browser condition picked the browser entry',
  );
  assert.equal(
    report.inputs.some((i) => /client\/dist\/src\/node|http-sender|sha1-node|md5-node|crc32-node/.test(i)),
    false,
    `no Node module bundled: ${report.inputs.filter((i) => /node/.test(i)).join(', ')}`,
  );
  console.log(
    `@coskit/client browser bundle: ${report.minifiedBytes} bytes minified, ${report.gzipBytes} bytes gzip`,
  );
});

for (const browser of BROWSERS)
  describe(`@coskit/client in a page (${browser})`, () => {
    let h: BrowserHarness;
    before(async () => {
      h = await startBrowserHarness({ browser });
      await h.node.createBucket({ Bucket });
    });
    after(() => h?.close());

    test('PUT of bytes, text and a Blob, HEAD, GET as a web stream, a listing and DELETE', async () => {
      const out = await h.inPage(async (coskit, config, bucket: string) => {
        const client = new coskit.CosS3Client(new coskit.CosConfig(config));
        const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff);
        const a = await client.putObject({ Bucket: bucket, Key: 'page/bytes.bin', Body: bytes });
        const b = await client.putObject({ Bucket: bucket, Key: 'page/文本.txt', Body: 'hello 世界' });
        const blob = new Blob(['blob ', 'body'], { type: 'text/plain' });
        const c = await client.putObject({
          Bucket: bucket,
          Key: 'page/blob.txt',
          Body: blob,
          ContentType: 'text/plain',
        });
        const head = await client.headObject({ Bucket: bucket, Key: 'page/文本.txt' });
        const got = await client.getObject({
          Bucket: bucket,
          Key: 'page/bytes.bin',
          Range: 'bytes=1000-1999',
        });
        const chunks: Uint8Array[] = [];
        for await (const chunk of got.Body as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
        const ranged = chunks.flatMap((ch) => Array.from(ch));
        const list = await client.listObjects({ Bucket: bucket, Prefix: 'page/' });
        await client.deleteObject({ Bucket: bucket, Key: 'page/blob.txt' });
        let missing = '';
        try {
          await client.headObject({ Bucket: bucket, Key: 'page/blob.txt' });
        } catch (e) {
          missing = `${(e as { name: string }).name} ${(e as { statusCode: number }).statusCode}`;
        }
        let noKey = '';
        try {
          await client.getObject({ Bucket: bucket, Key: 'page/none' });
        } catch (e) {
          noKey = (e as { errorCode: string }).errorCode;
        }
        return {
          etags: [a.ETag, b.ETag, c.ETag],
          crcs: [a['x-cos-hash-crc64ecma'], b['x-cos-hash-crc64ecma'], c['x-cos-hash-crc64ecma']],
          head: { length: head['Content-Length'], type: head['Content-Type'] },
          ranged: {
            length: ranged.length,
            first: ranged[0],
            status: got.statusCode,
            range: got['Content-Range'],
          },
          keys: list.Contents.map((o) => o.Key),
          missing,
          noKey,
        };
      }, Bucket);
      const bytes = Buffer.from(new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff));
      const md5 = (b: Uint8Array | string) => `"${createHash('md5').update(b).digest('hex')}"`;
      assert.deepEqual(out.etags, [md5(bytes), md5('hello 世界'), md5('blob body')]);
      assert.deepEqual(
        out.crcs,
        [bytes, Buffer.from('hello 世界'), Buffer.from('blob body')].map((b) => crc64ToDecimal(crc64(b))),
      );
      assert.deepEqual(out.head, { length: Buffer.byteLength('hello 世界'), type: 'text/plain' });
      assert.deepEqual(out.ranged, {
        length: 1000,
        first: bytes[1000],
        status: 206,
        range: 'bytes 1000-1999/300000',
      });
      assert.deepEqual(out.keys.sort(), ['page/blob.txt', 'page/bytes.bin', 'page/文本.txt'].sort());
      assert.equal(out.missing, 'CosServiceError 404');
      assert.equal(out.noKey, 'NoSuchKey');
      const stored = await h.node.headObject({ Bucket, Key: 'page/bytes.bin' });
      assert.equal(stored['Content-Length'], 300_000);
    });

    test('a stream Body is refused before any I/O, with what to pass instead', async () => {
      const message = await h.inPage(async (coskit, config, bucket: string) => {
        const client = new coskit.CosS3Client(new coskit.CosConfig(config));
        const stream = new Blob(['x']).stream() as unknown as AsyncIterable<Uint8Array>;
        try {
          await client.putObject({ Bucket: bucket, Key: 'page/stream', Body: stream });
          return 'sent';
        } catch (e) {
          return `${(e as { code: string }).code}: ${(e as Error).message}`;
        }
      }, Bucket);
      assert.match(
        message,
        /^COS_INVALID_ARGUMENT: a browser cannot stream a request body: pass a Blob\/File/,
      );
      await assert.rejects(h.node.headObject({ Bucket, Key: 'page/stream' }), { statusCode: 404 });
    });

    test('Upload Part reports byte progress as the browser sends; Complete assembles the parts', async () => {
      const PART_BYTES = 32 * 1024 * 1024;
      const out = await h.inPage(
        async (coskit, config, { bucket, PART_BYTES }: { bucket: string; PART_BYTES: number }) => {
          const client = new coskit.CosS3Client(new coskit.CosConfig(config));
          const { UploadId } = await client.createMultipartUpload({ Bucket: bucket, Key: 'page/mp.bin' });
          const part = new Uint8Array(PART_BYTES).map((_, i) => i & 0xff);
          const deltas: number[] = [];
          const r1 = await client.uploadPart({
            Bucket: bucket,
            Key: 'page/mp.bin',
            UploadId,
            PartNumber: 1,
            Body: part,
            // Paced by the server to 12.5 MB/s, so the part takes ~2.7 s: long enough for several of
            // the browser's upload progress ticks, which are sparse (loopback is too fast to see any).
            // Chromium counts bytes handed to the socket, and loopback's autotuned send and receive
            // buffers take ~10 MB at once: an 8 MiB part fitted whole and gave one tick (seen in a
            // land run), so the part is 32 MiB.
            TrafficLimit: 100_000_000,
            onUploadProgress: (n) => deltas.push(n),
          });
          const r2 = await client.uploadPart({
            Bucket: bucket,
            Key: 'page/mp.bin',
            UploadId,
            PartNumber: 2,
            Body: new Blob(['tail']),
          });
          const done = await client.completeMultipartUpload({
            Bucket: bucket,
            Key: 'page/mp.bin',
            UploadId,
            MultipartUpload: {
              Part: [
                { PartNumber: 1, ETag: r1.ETag },
                { PartNumber: 2, ETag: r2.ETag },
              ],
            },
          });
          return { deltas, sum: deltas.reduce((s, n) => s + n, 0), crc: done['x-cos-hash-crc64ecma'] };
        },
        { bucket: Bucket, PART_BYTES },
      );
      assert.equal(out.sum, PART_BYTES);
      assert.ok(
        out.deltas.every((n) => n > 0),
        'only positive deltas without a retry',
      );
      assert.ok(out.deltas.length >= 2, `progress moved within the part: ${out.deltas.join(', ')}`);
      const whole = Buffer.concat([
        Buffer.from(new Uint8Array(PART_BYTES).map((_, i) => i & 0xff)),
        Buffer.from('tail'),
      ]);
      assert.equal(out.crc, crc64ToDecimal(crc64(whole)));
    });

    test('an AbortSignal cancels a request in flight (COS_ABORTED) and nothing is stored', async () => {
      const code = await h.inPage(async (coskit, config, bucket: string) => {
        const client = new coskit.CosS3Client(new coskit.CosConfig(config));
        const controller = new AbortController();
        const body = new Uint8Array(16 * 1024 * 1024);
        const sending = client.putObject({
          Bucket: bucket,
          Key: 'page/aborted.bin',
          Body: body,
          // Paced by the server to ~10 MB/s: the body takes over 1.5 s, cancelled after 0.2 s.
          TrafficLimit: 80_000_000,
          signal: controller.signal,
        });
        setTimeout(() => controller.abort(new Error('user pressed cancel')), 200);
        try {
          await sending;
          return 'stored';
        } catch (e) {
          return (e as { code: string }).code;
        }
      }, Bucket);
      assert.equal(code, 'COS_ABORTED');
      await assert.rejects(h.node.headObject({ Bucket, Key: 'page/aborted.bin' }), { statusCode: 404 });
    });
  });

for (const browser of BROWSERS)
  test(`a 503 SlowDown is retried by the one retry layer, marked x-cos-sdk-retry (${browser})`, async () => {
    const h = await startBrowserHarness({ browser });
    const proxy = await startFaultProxy(h.server.port);
    try {
      await h.node.createBucket({ Bucket });
      // The browser sends a CORS preflight first: refuse the PUT itself, once.
      let refused = false;
      proxy.onRequest = (r) => {
        if (r.method === 'PUT' && !refused) {
          refused = true;
          proxy.slowDownNext = 1;
        }
      };
      const etag = await h.inPage(
        async (coskit, config, a: { bucket: string; port: number }) => {
          const client = new coskit.CosS3Client(new coskit.CosConfig({ ...config, Port: a.port }));
          return (await client.putObject({ Bucket: a.bucket, Key: 'retried.txt', Body: 'again' })).ETag;
        },
        { bucket: Bucket, port: proxy.port },
      );
      assert.equal(etag, `"${createHash('md5').update('again').digest('hex')}"`);
      const puts = proxy.requests.filter((r) => r.method === 'PUT');
      assert.equal(
        puts.length,
        2,
        `one refusal, one retry (${proxy.requests.map((r) => r.method).join(', ')})`,
      );
      assert.equal(puts[0]?.headers['x-cos-sdk-retry'], undefined);
      assert.equal(puts[1]?.headers['x-cos-sdk-retry'], 'true');
    } finally {
      await proxy.close();
      await h.close();
    }
  });
