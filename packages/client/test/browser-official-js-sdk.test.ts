/**
 * The official browser SDK, `cos-js-sdk-v5` from npm, uploading from a page in headless Chromium to
 * `coskit serve` with CORS: a simple PUT of a Blob, a multipart `sliceUploadFile` (which needs the
 * ETag exposed to the page), HEAD and GET; then `@coskit/client` in the same page reads what it
 * wrote. The SDK is bundled for the browser platform as a web app would take it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { type BrowserHarness, REGION, sdkBundle, startBrowserHarness } from './support/browser-harness.js';

const Bucket = 'official-1250000000';
let h: BrowserHarness;

before(async () => {
  h = await startBrowserHarness({
    script: await sdkBundle("import COS from 'cos-js-sdk-v5';\nObject.assign(globalThis, { COS });"),
  });
  await h.node.createBucket({ Bucket });
});
after(() => h?.close());

interface OfficialOutcome {
  put: { statusCode?: number; ETag?: string };
  slice: { ETag?: string; Location?: string };
  progress: number[];
  head: { statusCode?: number; headers?: Record<string, string> };
  got: string;
  ours: { length: number; crc: string | undefined };
  error?: string;
}

test('cos-js-sdk-v5 in a page: putObject, sliceUploadFile (multipart) with progress, headObject, getObject', async () => {
  const out = await h.inPage(
    async (coskit, config, a: { bucket: string; region: string }): Promise<OfficialOutcome> => {
      type Callback = (err: unknown, data: Record<string, unknown>) => void;
      const COS = (
        globalThis as unknown as {
          COS: new (o: Record<string, unknown>) => Record<string, (p: unknown, cb: Callback) => void>;
        }
      ).COS;
      const cos = new COS({
        SecretId: config['SecretId'],
        SecretKey: config['SecretKey'],
        Protocol: 'http:',
        // The SDK only speaks virtual-hosted style; Chromium resolves every *.localhost to
        // loopback, and coskit serve reads the bucket from a <bucket>.localhost Host.
        Domain: `{Bucket}.localhost:${config['Port']}`,
      });
      const call = (name: string, params: Record<string, unknown>) =>
        new Promise<Record<string, unknown>>((resolve, reject) =>
          cos[name]!({ Bucket: a.bucket, Region: a.region, ...params }, (err, data) =>
            err ? reject(err) : resolve(data),
          ),
        );
      try {
        const put = await call('putObject', {
          Key: 'official/small.txt',
          Body: new Blob(['from the official SDK']),
        });
        const big = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => (i * 13) & 0xff);
        const progress: number[] = [];
        const slice = await call('sliceUploadFile', {
          Key: 'official/big.bin',
          Body: new File([big], 'big.bin'),
          SliceSize: 1024 * 1024,
          ChunkSize: 1024 * 1024,
          onProgress: (p: { loaded: number }) => progress.push(p.loaded),
        });
        const head = await call('headObject', { Key: 'official/big.bin' });
        const got = await call('getObject', { Key: 'official/small.txt' });
        const client = new coskit.CosS3Client(new coskit.CosConfig(config));
        const ourHead = await client.headObject({ Bucket: a.bucket, Key: 'official/big.bin' });
        return {
          put: { statusCode: put['statusCode'] as number, ETag: put['ETag'] as string },
          slice: { ETag: slice['ETag'] as string, Location: slice['Location'] as string },
          progress,
          head: {
            statusCode: head['statusCode'] as number,
            headers: head['headers'] as Record<string, string>,
          },
          got: String(got['Body']),
          ours: { length: ourHead['Content-Length'], crc: ourHead['x-cos-hash-crc64ecma'] },
        };
      } catch (e) {
        return { error: JSON.stringify(e) } as OfficialOutcome;
      }
    },
    { bucket: Bucket, region: REGION },
  );
  assert.equal(out.error, undefined, out.error);
  assert.equal(out.put.statusCode, 200);
  assert.equal(out.put.ETag, `"${createHash('md5').update('from the official SDK').digest('hex')}"`);
  assert.equal(out.got, 'from the official SDK');
  const big = Buffer.from(new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => (i * 13) & 0xff));
  assert.match(out.slice.ETag ?? '', /^"[0-9a-f]{32}-4"$/, 'a 4-part multipart ETag');
  assert.equal(out.head.statusCode, 200);
  assert.equal(out.head.headers?.['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64(big)));
  assert.deepEqual(out.ours, { length: big.length, crc: crc64ToDecimal(crc64(big)) });
  assert.equal(out.progress.at(-1), big.length);
  const stored = await h.node.getObject({ Bucket, Key: 'official/big.bin' });
  const chunks: Buffer[] = [];
  for await (const c of stored.Body) chunks.push(c as Buffer);
  assert.ok(Buffer.concat(chunks).equals(big), 'the bytes the page sent');
});
