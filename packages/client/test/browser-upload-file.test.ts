/**
 * The browser `uploadFile` in headless Chromium and Firefox against `coskit serve` (CORS on), through a
 * recording proxy that counts the parts the server received: a 64 MiB Blob in 16 MiB × 4 with
 * progress moving inside the parts and the CRC-64 checked; a page reload in the middle resumes from
 * the IndexedDB checkpoint without re-sending a finished part; pause lets parts in flight finish
 * and starts none until resume; cancel aborts the upload on the server; a folder of picked files;
 * the VersionId on a versioned bucket; hashing when streams are not async-iterable or a read hangs.
 * Uploads are paced by the server (`TrafficLimit`) so that they last long enough to interrupt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { BROWSERS } from '@coskit/test-support/browser';
import { type BrowserHarness, sdkBundle, startBrowserHarness } from './support/browser-harness.js';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';

const MiB = 1024 * 1024;
const Bucket = 'uploads-1250000000';

/** The page's test file: `mib` MiB, byte j of MiB k = (31 j + 7 k) mod 256, a fixed lastModified. */
function fileBytes(mib: number): Buffer {
  const out = Buffer.alloc(mib * MiB);
  for (let k = 0; k < mib; k++) for (let j = 0; j < MiB; j++) out[k * MiB + j] = (j * 31 + k * 7) & 0xff;
  return out;
}
const PAGE_HELPERS = `
globalThis.makeFile = (mib, name) => {
  const blocks = [];
  for (let k = 0; k < mib; k++) {
    const block = new Uint8Array(${MiB});
    for (let j = 0; j < block.length; j++) block[j] = (j * 31 + k * 7) & 0xff;
    blocks.push(block);
  }
  return new File(blocks, name, { lastModified: 1700000000000 });
};
globalThis.checkpointParts = () => new Promise((resolve) => {
  const open = indexedDB.open('coskit');
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('upload-checkpoints')) return resolve([]);
    const r = db.transaction('upload-checkpoints').objectStore('upload-checkpoints').getAll();
    r.onsuccess = () => resolve(r.result.flatMap((c) => Object.keys(c.parts).map(Number)).sort((x, y) => x - y));
  };
});
globalThis.checkpointCount = () => new Promise((resolve) => {
  const open = indexedDB.open('coskit');
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('upload-checkpoints')) return resolve(0);
    const r = db.transaction('upload-checkpoints').objectStore('upload-checkpoints').count();
    r.onsuccess = () => resolve(r.result);
  };
});`;

interface PageGlobals {
  makeFile(mib: number, name: string): File;
  checkpointCount(): Promise<number>;
  /** Part numbers the page's checkpoints record as acknowledged. */
  checkpointParts(): Promise<number[]>;
  task: import('../src/browser.js').UploadTask;
  events: number[];
  outcome: unknown;
}
const g = globalThis as unknown as PageGlobals;
void g;

/** Part numbers of the Upload Part requests the proxy passed on for `key`, in arrival order. */
function partsReceived(proxy: FaultProxy, key: string): number[] {
  return proxy.requests
    .filter((r) => r.method === 'PUT' && r.url.includes(`/${key}?`) && r.url.includes('partNumber='))
    .map((r) => Number(/partNumber=(\d+)/.exec(r.url)?.[1]));
}

for (const browser of BROWSERS)
  describe(`uploadFile of a File/Blob in a page (${browser})`, () => {
    let h: BrowserHarness;
    let proxy: FaultProxy;
    before(async () => {
      h = await startBrowserHarness({ script: await sdkBundle(PAGE_HELPERS), browser });
      proxy = await startFaultProxy(h.server.port);
      await h.node.createBucket({ Bucket });
    });
    after(async () => {
      await proxy?.close();
      await h?.close();
    });
    /** Runs `fn` in the page with a client that talks through the proxy. */
    const inPage = <A, R>(
      fn: (
        coskit: typeof import('../src/browser.js'),
        config: Record<string, unknown>,
        arg: A,
      ) => R | Promise<R>,
      arg: A,
    ) =>
      h.inPage(
        (coskit, config, a: { port: number; arg: A; source: string }) =>
          new Function('coskit', 'config', 'a', `return (${a.source})(coskit, config, a);`)(
            coskit,
            { ...config, Port: a.port },
            a.arg,
          ),
        { port: proxy.port, arg, source: fn.toString() },
      ) as Promise<R>;

    test('64 MiB Blob: 16 MiB × 4 parts, progress inside the parts, monotonic to one 100 %, CRC-64 checked', async () => {
      const out = await inPage(async (coskit, config, bucket: string) => {
        const client = new coskit.CosS3Client(new coskit.CosConfig(config));
        const file = (globalThis as unknown as PageGlobals).makeFile(64, 'big.bin');
        const calls: [number, number][] = [];
        const r = await client.uploadFile({
          Bucket: bucket,
          Key: 'big.bin',
          Body: new Blob([file]), // a plain Blob: no checkpoint
          ProgressInterval: 0,
          // ~12.5 MB/s per part, so each part takes ~1.3 s: time for the browser's progress ticks.
          TrafficLimit: 100_000_000,
          onProgress: (done, total) => calls.push([done, total]),
        });
        return { r, calls };
      }, Bucket);
      const bytes = fileBytes(64);
      assert.equal(out.r.partsSent, 4);
      assert.equal(out.r.bytesSent, 64 * MiB);
      assert.equal(out.r['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64(bytes)));
      assert.deepEqual(partsReceived(proxy, 'big.bin').sort(), [1, 2, 3, 4]);
      const values = out.calls.map(([done]) => done);
      assert.ok(out.calls.every(([, total]) => total === 64 * MiB));
      assert.ok(
        values.every((v, i) => i === 0 || v >= values[i - 1]!),
        'monotonic',
      );
      assert.equal(values.filter((v) => v === 64 * MiB).length, 1, 'one 100 %, last');
      assert.equal(values.at(-1), 64 * MiB);
      // Counted only when parts finished, progress could take at most 4 values before 100 %; twice
      // as many means it moved inside the parts, as the browser sent them.
      assert.ok(new Set(values).size >= 8, `progress within the parts: ${values.join(', ')}`);
      const head = await h.node.headObject({ Bucket, Key: 'big.bin' });
      assert.equal(head['Content-Length'], 64 * MiB);
    });

    test('a page reload in the middle resumes from the IndexedDB checkpoint: finished parts are not sent again', async () => {
      const Key = 'reloaded.bin';
      const partSizes = { PartSize: 4, MAXThread: 2 };
      await inPage(
        (
          coskit,
          config,
          a: { bucket: string; key: string; opts: { PartSize: number; MAXThread: number } },
        ) => {
          const client = new coskit.CosS3Client(new coskit.CosConfig(config));
          const page = globalThis as unknown as PageGlobals;
          page.task = client.uploadFile({
            Bucket: a.bucket,
            Key: a.key,
            Body: page.makeFile(24, 'reloaded.bin'),
            ...a.opts,
            TrafficLimit: 50_000_000,
          });
        },
        { bucket: Bucket, key: Key, opts: partSizes },
      );
      // Wait until the server holds at least two parts and the checkpoint records two, then
      // reload the page mid-upload.
      let uploadId = '';
      for (let i = 0; i < 200 && uploadId === ''; i++) {
        const uploads = await h.node.listMultipartUploads({ Bucket, Prefix: Key });
        const id = uploads.Upload[0]?.UploadId;
        if (
          id &&
          (await h.node.listParts({ Bucket, Key, UploadId: id })).Part.length >= 2 &&
          (await inPage(() => (globalThis as unknown as PageGlobals).checkpointParts(), null)).length >= 2
        )
          uploadId = id;
        else await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(uploadId, 'two parts arrived');
      await h.page.page.reload();
      await h.page.page.waitForFunction('window.ready === true');
      const before = (await h.node.listParts({ Bucket, Key, UploadId: uploadId })).Part.map(
        (p) => p.PartNumber,
      );
      assert.ok(before.length >= 2 && before.length < 6, `parts done before the reload: ${before}`);
      const mark = proxy.requests.length;
      const out = await inPage(
        async (
          coskit,
          config,
          a: { bucket: string; key: string; opts: { PartSize: number; MAXThread: number } },
        ) => {
          const client = new coskit.CosS3Client(new coskit.CosConfig(config));
          const page = globalThis as unknown as PageGlobals;
          const checkpoints = await page.checkpointCount();
          const recorded = await page.checkpointParts();
          const r = await client.uploadFile({
            Bucket: a.bucket,
            Key: a.key,
            Body: page.makeFile(24, 'reloaded.bin'), // the same file, picked again after the reload
            ...a.opts,
          });
          return { r, checkpoints, recorded, after: await page.checkpointCount() };
        },
        { bucket: Bucket, key: Key, opts: partSizes },
      );
      assert.equal(out.checkpoints, 1, 'the checkpoint survived the reload');
      assert.equal(out.after, 0, 'removed after Complete');
      assert.equal(out.r.UploadId, uploadId, 'the same upload was resumed');
      const resent = partsReceived({ ...proxy, requests: proxy.requests.slice(mark) } as FaultProxy, Key);
      // A part the server stored in the instant before the reload, whose answer the page had not
      // yet written to the checkpoint, is sent again (seen once in a land run): what the page
      // resumes from is its checkpoint, so the parts not sent again are exactly those it
      // recorded, every one of them on the server, and at most the MAXThread parts in flight can
      // be on the server unrecorded.
      const recorded = out.recorded;
      assert.ok(recorded.length >= 2, `the checkpoint recorded parts: ${recorded}`);
      assert.ok(
        recorded.every((n) => before.includes(n)),
        `recorded ${recorded} are on the server ${before}`,
      );
      assert.ok(
        before.length - recorded.length <= partSizes.MAXThread,
        `server ${before}, recorded ${recorded}`,
      );
      assert.deepEqual(
        resent.sort((x, y) => x - y),
        [1, 2, 3, 4, 5, 6].filter((n) => !recorded.includes(n)),
        'only the parts the checkpoint did not record',
      );
      assert.ok(
        [1, 2, 3, 4, 5, 6].filter((n) => !before.includes(n)).every((n) => resent.includes(n)),
        'every part the server did not have was sent',
      );
      assert.equal(out.r.partsSent, 6 - recorded.length);
      assert.equal(out.r['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64(fileBytes(24))));
    });

    /**
     * Starts, in the page, `window.task`: the upload of a 24 MiB file named `key` to `key`, 4 MiB parts
     * two at a time at 50 Mbit/s (slow enough to act on mid-upload), its progress pushed to
     * `window.events`; with `keepOutcome`, its result (or error, as a string) is kept in
     * `window.outcome`. Resolves once the first progress has come.
     */
    const startPacedUpload = async (key: string, options: { keepOutcome: boolean }) => {
      await inPage(
        (coskit, config, a: { bucket: string; key: string; keepOutcome: boolean }) => {
          const client = new coskit.CosS3Client(new coskit.CosConfig(config));
          const page = globalThis as unknown as PageGlobals;
          page.events = [];
          page.task = client.uploadFile({
            Bucket: a.bucket,
            Key: a.key,
            Body: page.makeFile(24, a.key),
            PartSize: 4,
            MAXThread: 2,
            TrafficLimit: 50_000_000,
            onProgress: (done) => page.events.push(done),
          });
          if (a.keepOutcome) {
            page.task.then(
              (r) => {
                page.outcome = r;
              },
              (e) => {
                page.outcome = String(e);
              },
            );
          }
        },
        { bucket: Bucket, key, keepOutcome: options.keepOutcome },
      );
      await h.page.page.waitForFunction('window.events.length > 0');
    };

    test('pause lets the parts in flight finish and starts none; resume continues to the end', async () => {
      const Key = 'paused.bin';
      await startPacedUpload(Key, { keepOutcome: true });
      const state = await inPage(() => {
        const page = globalThis as unknown as PageGlobals;
        page.task.pause();
        return page.task.state;
      }, null);
      assert.equal(state, 'paused');
      const startedAtPause = partsReceived(proxy, Key).length;
      assert.ok(startedAtPause >= 1 && startedAtPause <= 3, `parts started before pause: ${startedAtPause}`);
      // Parts of 4 MiB at ~6 MB/s finish within ~1 s; wait for them, then a while more.
      let uploadId = '';
      for (let i = 0; i < 100; i++) {
        uploadId = (await h.node.listMultipartUploads({ Bucket, Prefix: Key })).Upload[0]?.UploadId ?? '';
        if (
          uploadId &&
          (await h.node.listParts({ Bucket, Key, UploadId: uploadId })).Part.length === startedAtPause
        )
          break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 700));
      assert.equal(partsReceived(proxy, Key).length, startedAtPause, 'no part started while paused');
      assert.equal(
        (await h.node.listParts({ Bucket, Key, UploadId: uploadId })).Part.length,
        startedAtPause,
        'the parts in flight finished',
      );
      assert.equal(
        await inPage(() => (globalThis as unknown as PageGlobals).outcome === undefined, null),
        true,
        'still pending',
      );
      await inPage(() => (globalThis as unknown as PageGlobals).task.resume(), null);
      await h.page.page.waitForFunction('window.outcome !== undefined', { timeout: 30_000 });
      const outcome = (await inPage(() => (globalThis as unknown as PageGlobals).outcome, null)) as {
        partsSent: number;
        'x-cos-hash-crc64ecma': string;
      };
      assert.equal(outcome.partsSent, 6);
      assert.equal(outcome['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64(fileBytes(24))));
      assert.deepEqual(
        partsReceived(proxy, Key).sort((x, y) => x - y),
        [1, 2, 3, 4, 5, 6],
        'each part once',
      );
    });

    test('cancel stops the requests in flight, aborts the upload on the server and removes the checkpoint', async () => {
      const Key = 'cancelled.bin';
      await startPacedUpload(Key, { keepOutcome: false });
      const out = await inPage(async () => {
        const page = globalThis as unknown as PageGlobals;
        await page.task.cancel();
        let code = '';
        try {
          await page.task;
        } catch (e) {
          code = (e as { code: string }).code;
        }
        return { code, state: page.task.state, checkpoints: await page.checkpointCount() };
      }, null);
      assert.deepEqual(out, { code: 'COS_ABORTED', state: 'cancelled', checkpoints: 0 });
      assert.deepEqual((await h.node.listMultipartUploads({ Bucket, Prefix: Key })).Upload, []);
      await assert.rejects(h.node.headObject({ Bucket, Key }), { statusCode: 404 });
    });

    test('with streams that are neither async-iterable nor byte streams (as in Safari), Blob and stream uploads hash what they send', async () => {
      const out = await inPage(async (coskit, config, bucket: string) => {
        const client = new coskit.CosS3Client(new coskit.CosConfig(config));
        const page = globalThis as unknown as PageGlobals;
        // Safari's ReadableStream has no async iterator (and older ones no BYOB reader): take
        // both away for this test, so that a `for await` over a stream or a BYOB read throws.
        const proto = ReadableStream.prototype as unknown as Record<PropertyKey, unknown>;
        const saved = {
          iterator: proto[Symbol.asyncIterator],
          values: proto['values'],
          getReader: ReadableStream.prototype.getReader,
        };
        delete proto[Symbol.asyncIterator];
        delete proto['values'];
        proto['getReader'] = function (this: ReadableStream, options?: { mode?: string }) {
          if (options?.mode === 'byob') throw new TypeError('no BYOB reader here');
          return saved.getReader.call(this);
        };
        try {
          const probe = new Blob(['x']).stream();
          const iterable = Symbol.asyncIterator in probe;
          let byob = 'allowed';
          try {
            probe.getReader({ mode: 'byob' });
          } catch (e) {
            byob = String(e);
          }
          const file = page.makeFile(3, 'safari.bin');
          const put = await client.putObject({
            Bucket: bucket,
            Key: 'safari/put.bin',
            Body: new Blob([file]),
            EnableMD5: true,
          });
          const streamed = await client.uploadStream({
            Bucket: bucket,
            Key: 'safari/stream.bin',
            Body: new Blob([file]).stream(),
            PartSize: 1,
          });
          const multipart = await client.uploadFile({
            Bucket: bucket,
            Key: 'safari/file.bin',
            Body: new Blob([file]),
            PartSize: 1,
            MultipartThreshold: 1024 * 1024,
          });
          const again = await client.uploadDirectory({
            Bucket: bucket,
            Prefix: 'safari/',
            Files: [{ file, path: 'file.bin' }],
            SkipExisting: true,
          });
          return {
            iterable,
            byob,
            crcs: [put, streamed, multipart].map((r) => r['x-cos-hash-crc64ecma']),
            parts: multipart.partsSent,
            streamedSize: streamed.size,
            skipped: again.skipped.map((f) => f.key),
          };
        } finally {
          proto[Symbol.asyncIterator] = saved.iterator;
          proto['values'] = saved.values;
          proto['getReader'] = saved.getReader;
        }
      }, Bucket);
      assert.equal(out.iterable, false, 'the page had no async-iterable streams');
      assert.match(out.byob, /no BYOB reader here/);
      const crc = crc64ToDecimal(crc64(fileBytes(3)));
      assert.deepEqual(out.crcs, [crc, crc, crc]);
      assert.equal(out.parts, 3);
      assert.equal(out.streamedSize, 3 * MiB);
      assert.deepEqual(out.skipped, ['safari/file.bin'], 'the CRC-64 of the picked file matched');
      for (const Key of ['safari/put.bin', 'safari/stream.bin', 'safari/file.bin'])
        assert.equal((await h.node.headObject({ Bucket, Key }))['x-cos-hash-crc64ecma'], crc);
    });

    test('a BYOB read that never resolves (as Chromium 156 does now and then) is abandoned: the part is hashed from there in slices', async () => {
      const out = await inPage(async (coskit, config, bucket: string) => {
        const client = new coskit.CosS3Client(new coskit.CosConfig(config));
        const page = globalThis as unknown as PageGlobals;
        const proto = ReadableStreamBYOBReader.prototype;
        const read = proto.read;
        let calls = 0;
        let swallowed = 0;
        // The second BYOB read of the upload never settles; every other one is the browser's own.
        proto.read = function (this: ReadableStreamBYOBReader, ...args: Parameters<typeof read>) {
          if (++calls === 2) {
            swallowed++;
            return new Promise(() => {});
          }
          return read.apply(this, args);
        } as typeof read;
        try {
          const r = await client.uploadFile({
            Bucket: bucket,
            Key: 'stuck-read.bin',
            Body: new Blob([page.makeFile(3, 'stuck-read.bin')]),
            PartSize: 1,
            MAXThread: 1,
            MultipartThreshold: 1024 * 1024,
          });
          return { crc: r['x-cos-hash-crc64ecma'], parts: r.partsSent, calls, swallowed };
        } finally {
          proto.read = read;
        }
      }, Bucket);
      assert.equal(out.swallowed, 1, 'one read was left hanging');
      assert.ok(out.calls > 2, `BYOB reads went on for the later parts (${out.calls})`);
      assert.equal(out.parts, 3);
      assert.equal(out.crc, crc64ToDecimal(crc64(fileBytes(3))));
    });

    test('on a versioned bucket the result carries the VersionId of a single PUT and of a multipart upload', async () => {
      const Versioned = 'versioned-1250000000';
      await h.node.createBucket({ Bucket: Versioned });
      await h.node.putBucketVersioning({ Bucket: Versioned, Status: 'Enabled' });
      const upload = (opts: { mib: number; multipart: boolean }) =>
        inPage(
          async (coskit, config, a: { bucket: string; mib: number; multipart: boolean }) => {
            const client = new coskit.CosS3Client(new coskit.CosConfig(config));
            const page = globalThis as unknown as PageGlobals;
            const r = await client.uploadFile({
              Bucket: a.bucket,
              Key: 'versioned.bin',
              Body: new Blob([page.makeFile(a.mib, 'versioned.bin')]),
              ...(a.multipart ? { PartSize: 1, MultipartThreshold: 1024 * 1024 } : {}),
            });
            return { VersionId: r.VersionId, UploadId: r.UploadId, ETag: r.ETag };
          },
          { bucket: Versioned, ...opts },
        );
      const whole = await upload({ mib: 1, multipart: false });
      assert.equal(whole.UploadId, undefined, 'one PUT');
      assert.ok(whole.VersionId && whole.VersionId !== 'null', `a version: ${whole.VersionId}`);
      const multi = await upload({ mib: 3, multipart: true });
      assert.ok(multi.UploadId, 'multipart');
      assert.ok(multi.VersionId && multi.VersionId !== 'null' && multi.VersionId !== whole.VersionId);
      const head = await h.node.headObject({ Bucket: Versioned, Key: 'versioned.bin' });
      assert.equal(head['x-cos-version-id'], multi.VersionId, 'the latest version is the multipart one');
      const first = await h.node.headObject({
        Bucket: Versioned,
        Key: 'versioned.bin',
        VersionId: whole.VersionId,
      });
      assert.equal(first.ETag, whole.ETag);
      assert.equal(first['Content-Length'], MiB);
      await h.node.putBucketVersioning({ Bucket: Versioned, Status: 'Suspended' });
      assert.equal((await upload({ mib: 1, multipart: false })).VersionId, 'null');
    });

    test('uploadDirectory of picked files keys them by their relative paths, with Include/Exclude', async () => {
      const out = await inPage(async (coskit, config, bucket: string) => {
        const client = new coskit.CosS3Client(new coskit.CosConfig(config));
        const file = (path: string, text: string) => ({
          file: new File([text], path.split('/').pop()!),
          path,
        });
        const finished: string[] = [];
        const r = await client.uploadDirectory({
          Bucket: bucket,
          Prefix: 'picked/',
          Files: [file('album/a.txt', 'a'), file('album/sub/b.txt', 'bb'), file('album/skip.log', 'x')],
          Exclude: ['*.log'],
          onFileFinish: (err, f) => finished.push(`${f.key} ${f.status}${err ? ` ${err.message}` : ''}`),
        });
        return { ok: r.success_all, keys: r.succeeded.map((s) => s.key).sort(), finished: finished.sort() };
      }, Bucket);
      assert.deepEqual(out, {
        ok: true,
        keys: ['picked/album/a.txt', 'picked/album/sub/b.txt'],
        finished: ['picked/album/a.txt uploaded', 'picked/album/sub/b.txt uploaded'],
      });
      assert.equal((await h.node.headObject({ Bucket, Key: 'picked/album/sub/b.txt' }))['Content-Length'], 2);
    });
  });
