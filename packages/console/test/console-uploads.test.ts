/**
 * The console's multipart uploads in headless Chromium, slowed by the browser's own network
 * throttling so that there is time to act: Pause lets the parts in flight finish and sends no
 * more, Resume completes the object byte for byte; a page reloaded mid-upload lists the upload as
 * interrupted, and picking the same file continues the same multipart upload (no new Initiate).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type ConsoleFixture,
  click,
  objectBytes,
  openConsole,
  signInWithDevelopmentPair,
  uploadStates,
  waitForText,
} from './support/console-page.js';

const Bucket = 'uploads-1250000000';
/** Above the console's single-PUT limit, so multipart with several parts waiting. */
const SIZE = 20 * 1024 * 1024;

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

describe('console uploads: pause, resume, resume after reload', () => {
  let f: ConsoleFixture;
  let dir: string;
  let file: string;
  let bytes: Buffer;
  before(async () => {
    // ~8 MiB/s up: a 4 MiB part takes about half a second.
    f = await openConsole({ uplinkBytesPerSecond: 8 * 1024 * 1024 });
    dir = await mkdtemp(join(tmpdir(), 'coskit-console-big-'));
    bytes = randomBytes(SIZE);
    file = join(dir, 'big.bin');
    await writeFile(file, bytes);
    await f.client.createBucket({ Bucket });
    await signInWithDevelopmentPair(f.page);
    f.page.on('request', (r) => isPart(r.url(), r.method()) && partRequests.started++);
    for (const event of ['requestfinished', 'requestfailed'] as const) {
      f.page.on(event, (r) => isPart(r.url(), r.method()) && partRequests.settled++);
    }
  });
  after(async () => {
    await f?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The `sent` text of the upload row of `key` ("4.0 MiB of 20 MiB"). */
  const figures = (key: string) =>
    f.page.$eval(`li.upload[data-key="${key}"] .upload-figures span`, (e) => e.textContent ?? '');
  const state = async (key: string) => (await uploadStates(f.page))[key];
  const waitState = (key: string, wanted: string, timeout = 10_000) =>
    f.page.waitForFunction(
      (k: string, w: string) =>
        document.querySelector<HTMLElement>(`li.upload[data-key="${k}"]`)?.dataset['state'] === w,
      { timeout },
      key,
      wanted,
    );

  async function startUpload(prefix: string): Promise<string> {
    await f.page.goto(`${f.consoleUrl}#/b/${Bucket}?prefix=${encodeURIComponent(prefix)}`);
    const input = await f.page.waitForSelector('input[name=files]');
    await input!.uploadFile(file);
    const key = `${prefix}big.bin`;
    await f.page.waitForFunction(
      (k: string) =>
        document.querySelector<HTMLElement>(`li.upload[data-key="${k}"]`)?.dataset['state'] === 'uploading',
      {},
      key,
    );
    return key;
  }

  /** Clicks the button `text` of the upload row of `key`. */
  async function rowClick(key: string, text: string): Promise<void> {
    const handle = await f.page.waitForFunction(
      (k: string, t: string) =>
        [...document.querySelectorAll(`li.upload[data-key="${k}"] button`)].find((b) => b.textContent === t),
      {},
      key,
      text,
    );
    await (handle as unknown as { click(): Promise<void> }).click();
  }

  /** Upload Part requests of the page: started and settled so far. */
  const partRequests = { started: 0, settled: 0 };
  const isPart = (url: string, method: string) => method === 'PUT' && /[?&]partNumber=/.test(url);

  async function uploadIds(key: string): Promise<string[]> {
    const r = await f.client.listMultipartUploads({ Bucket, Prefix: key });
    return r.Upload.map((u) => u.UploadId);
  }

  /** The id of the multipart upload the page initiated for `key` (polled: Initiate may still be on its way). */
  async function initiated(key: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const [id] = await uploadIds(key);
      if (id) return id;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no multipart upload for ${key}`);
  }

  test('Pause lets the parts in flight finish and sends no more; Resume completes the exact bytes', async () => {
    const key = await startUpload('paused/');
    await rowClick(key, 'Pause');
    await waitState(key, 'paused');
    const uploadId = await initiated(key);
    // The parts already on the wire finish; then no part request starts and nothing moves.
    for (let i = 0; i < 100 && partRequests.settled < partRequests.started; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const started = partRequests.started;
    assert.ok(started < 5, `${started} of 5 parts were sent before the pause took hold`);
    const parts = (await f.client.listParts({ Bucket, Key: key, UploadId: uploadId })).Part.length;
    assert.equal(parts, started, 'every part in flight finished and was stored');
    const held = await figures(key);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(partRequests.started, started, 'no part request starts while paused');
    assert.equal(await figures(key), held, 'no bytes move while paused');
    await assert.rejects(f.client.headObject({ Bucket, Key: key }), { statusCode: 404 });

    await rowClick(key, 'Resume');
    await f.page.waitForFunction(
      (k: string) =>
        document.querySelector<HTMLElement>(`li.upload[data-key="${k}"]`)?.dataset['state'] === 'done',
      { timeout: 30_000 },
      key,
    );
    assert.equal(md5(await objectBytes(f.client, Bucket, key)), md5(bytes));
    assert.deepEqual(await uploadIds(key), [], 'the upload was completed, not left open');
  });

  test('Cancel stops the upload, aborts its multipart upload and stores nothing', async () => {
    const key = await startUpload('cancelled/');
    const uploadId = await initiated(key);
    // Parts are on their way (so the page knows the upload it initiated), then Cancel.
    await f.page.waitForFunction(
      (k: string) =>
        !/^0 B/.test(
          document.querySelector(`li.upload[data-key="${k}"] .upload-figures span`)?.textContent ?? '0 B',
        ),
      {},
      key,
    );
    await rowClick(key, 'Cancel');
    await waitState(key, 'cancelled');
    for (let i = 0; i < 50 && (await uploadIds(key)).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await uploadIds(key), [], `upload ${uploadId} was aborted`);
    await assert.rejects(f.client.headObject({ Bucket, Key: key }), { statusCode: 404 });
    await click(f.page, 'Clear finished');
    assert.equal(await state(key), undefined);
  });

  test('after a reload the upload is listed as interrupted, and the same file continues the same multipart upload', async () => {
    const key = await startUpload('reloaded/');
    await rowClick(key, 'Pause');
    const uploadId = await initiated(key);
    // Wait until some parts are stored, then lose the page.
    for (let i = 0; i < 40; i++) {
      if ((await f.client.listParts({ Bucket, Key: key, UploadId: uploadId })).Part.length > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // Leaving with an upload under way asks first (beforeunload); the user leaves anyway.
    const asked = new Promise<string>((resolve) =>
      f.page.once('dialog', (d) => {
        resolve(d.type());
        void d.accept();
      }),
    );
    await f.page.reload();
    assert.equal(await asked, 'beforeunload');
    await waitForText(f.page, '1 upload was interrupted');
    await waitForText(f.page, `${Bucket}/${key}`);
    const input = await f.page.waitForSelector('input[name=resume]');
    await input!.uploadFile(file);
    await f.page.waitForFunction(
      (k: string) =>
        document.querySelector<HTMLElement>(`li.upload[data-key="${k}"]`)?.dataset['state'] === 'done',
      { timeout: 30_000 },
      key,
    );
    assert.equal(md5(await objectBytes(f.client, Bucket, key)), md5(bytes));
    // Had the page started over, the first upload would still be open next to nothing.
    assert.deepEqual(await uploadIds(key), [], `upload ${uploadId} was continued and completed`);
    assert.equal(await f.page.$('.interrupted'), null, 'nothing is left to resume');
    assert.deepEqual(f.pageErrors, []);
  });
});
