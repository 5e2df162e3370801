/**
 * The web console in headless Chromium against `coskit serve`: sign in (a wrong pair is refused
 * by the server's signature check, the development pair works and stays in sessionStorage only),
 * buckets listed and created, a folder uploaded through the folder input and browsed by prefix
 * with pages, object details, a share link that downloads the exact bytes, delete, keyboard use,
 * and a phone-width layout. The steps share one page and run in order.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer } from '@coskit/server';
import {
  button,
  type ConsoleFixture,
  click,
  listingNames,
  objectBytes,
  openConsole,
  signInWithDevelopmentPair,
  waitForText,
} from './support/console-page.js';

const Bucket = 'photos-1250000000';

describe('the web console', () => {
  let f: ConsoleFixture;
  let dir: string;
  const photo = randomBytes(200_000);
  before(async () => {
    f = await openConsole();
    dir = await mkdtemp(join(tmpdir(), 'coskit-console-upload-'));
    // A folder as a user would pick it: nested, with a file per page row for the paging step.
    await mkdir(join(dir, 'trip', 'day1'), { recursive: true });
    await writeFile(join(dir, 'trip', 'day1', 'beach.jpg'), photo);
    await writeFile(join(dir, 'trip', 'notes.txt'), 'sunny\n');
    for (let i = 0; i < 12; i++)
      await writeFile(join(dir, 'trip', 'day1', `clip-${String(i).padStart(2, '0')}.txt`), `clip ${i}`);
  });
  after(async () => {
    await f?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a wrong key pair is refused by the server; the development pair signs in and stays in sessionStorage only', async () => {
    const { page } = f;
    await page.waitForSelector('input[name=secretId]');
    await page.type('input[name=secretId]', 'AKIDCOSKITDEVELOPMENT0000000000000000');
    await page.type('input[name=secretKey]', 'not-the-secret-key');
    await click(page, 'Sign in');
    await page.waitForSelector('.error[role=alert]');
    const refusal = await page.$eval('.error[role=alert]', (e) => e.textContent ?? '');
    assert.match(refusal, /SignatureDoesNotMatch/);
    await signInWithDevelopmentPair(page);
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem('coskit-console-credentials'),
      local: JSON.stringify(Object.entries(localStorage)),
      cookie: document.cookie,
    }));
    assert.match(stored.session ?? '', /coskit-development-secret-key-000/);
    assert.doesNotMatch(stored.local, /secret/i);
    assert.equal(stored.cookie, '');
  });

  test('buckets are listed and a new one is created from the form (and a bad name is explained)', async () => {
    const { page, client } = f;
    await client.createBucket({ Bucket: 'existing-1250000000' });
    await page.reload();
    await waitForText(page, 'existing-1250000000');
    await page.type('input[name=bucket]', 'Bad_Name');
    await click(page, 'Create bucket');
    await page.waitForSelector('form.create-bucket .error');
    assert.match(await page.$eval('form.create-bucket .error', (e) => e.textContent ?? ''), /Bucket/);
    await page.$eval('input[name=bucket]', (e) => {
      (e as HTMLInputElement).value = '';
    });
    await page.type('input[name=bucket]', Bucket);
    await click(page, 'Create bucket');
    await page.waitForFunction((b: string) => location.hash === `#/b/${b}`, {}, Bucket);
    const buckets = (await client.listBuckets()).Buckets.map((b) => b.Name).sort();
    assert.deepEqual(buckets, ['existing-1250000000', Bucket]);
    await waitForText(page, 'This folder is empty');
  });

  test('a folder picked through the folder input is uploaded and shown listed, folders as rows', async () => {
    const { page, client } = f;
    const input = await page.waitForSelector('input[name=folder]');
    await input!.uploadFile(join(dir, 'trip'));
    await page.waitForFunction(
      () => {
        const items = [...document.querySelectorAll<HTMLElement>('li.upload')];
        return items.length === 14 && items.every((li) => li.dataset['state'] === 'done');
      },
      { timeout: 30_000 },
    );
    await waitForText(page, '14 of 14 files');
    // The listing reloads itself: the bucket's root shows the folder as one row.
    await page.waitForFunction(() =>
      [...document.querySelectorAll('table.listing a')].some((a) => a.textContent === 'trip/'),
    );
    assert.deepEqual(await listingNames(page), ['trip/']);
    assert.deepEqual(await objectBytes(client, Bucket, 'trip/day1/beach.jpg'), photo);
    assert.equal((await objectBytes(client, Bucket, 'trip/notes.txt')).toString(), 'sunny\n');

    await (await page.waitForSelector('table.listing a.folder'))!.click();
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'trip/');
    await page.waitForFunction(() => document.querySelectorAll('table.listing tbody a').length === 3);
    assert.deepEqual(await listingNames(page), ['../ (parent folder)', 'day1/', 'notes.txt']);
  });

  test('files dropped on the drop zone are uploaded into the folder shown', async () => {
    const { page, client } = f;
    await page.goto(`${f.consoleUrl}#/b/${Bucket}?prefix=${encodeURIComponent('trip/')}`);
    await page.waitForSelector('.drop-zone');
    // What a drop from the desktop delivers: a DataTransfer holding File objects.
    await page.$eval('.drop-zone', (zone) => {
      const data = new DataTransfer();
      data.items.add(new File(['first dropped'], 'dropped-1.txt', { type: 'text/plain' }));
      data.items.add(new File(['second dropped'], 'dropped-2.txt', { type: 'text/plain' }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(
      () =>
        ['trip/dropped-1.txt', 'trip/dropped-2.txt'].every(
          (k) =>
            document.querySelector<HTMLElement>(`li.upload[data-key="${k}"]`)?.dataset['state'] === 'done',
        ),
      { timeout: 20_000 },
    );
    assert.equal((await objectBytes(client, Bucket, 'trip/dropped-1.txt')).toString(), 'first dropped');
    assert.equal((await objectBytes(client, Bucket, 'trip/dropped-2.txt')).toString(), 'second dropped');
    await page.waitForFunction(() => document.body.innerText.includes('dropped-2.txt'));
    for (const Key of ['trip/dropped-1.txt', 'trip/dropped-2.txt'])
      await client.deleteObject({ Bucket, Key });
  });

  test('a folder and a file dragged from the desktop (a real drop) are uploaded under their relative paths', async () => {
    const { page, client } = f;
    // What the OS hands the browser when a folder is dragged from a file manager: Chromium's
    // DevTools protocol drops real paths, so the page walks real directory entries.
    const desk = join(dir, 'desktop');
    const sea = randomBytes(150_000);
    await mkdir(join(desk, 'holiday', 'pics'), { recursive: true });
    await writeFile(join(desk, 'holiday', 'pics', 'sea.jpg'), sea);
    await writeFile(join(desk, 'holiday', 'readme.txt'), 'read me\n');
    await writeFile(join(desk, 'loose.txt'), 'loose\n');
    await page.goto(`${f.consoleUrl}#/b/${Bucket}?prefix=${encodeURIComponent('desk/')}`);
    const zone = await page.waitForSelector('.drop-zone');
    const box = (await zone!.boundingBox())!;
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const data = {
      items: [],
      files: [join(desk, 'holiday'), join(desk, 'loose.txt')],
      dragOperationsMask: 1, // copy
    };
    const cdp = await page.createCDPSession();
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const)
      await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
    await cdp.detach();
    const keys = ['desk/holiday/pics/sea.jpg', 'desk/holiday/readme.txt', 'desk/loose.txt'];
    await page.waitForFunction(
      (ks: string[]) =>
        ks.every(
          (k) =>
            document.querySelector<HTMLElement>(`li.upload[data-key="${k}"]`)?.dataset['state'] === 'done',
        ),
      { timeout: 20_000 },
      keys,
    );
    assert.deepEqual(await objectBytes(client, Bucket, keys[0]!), sea);
    assert.equal((await objectBytes(client, Bucket, keys[1]!)).toString(), 'read me\n');
    assert.equal((await objectBytes(client, Bucket, keys[2]!)).toString(), 'loose\n');
    const listed = await client.listObjects({ Bucket, Prefix: 'desk/' });
    assert.deepEqual(listed.Contents?.map((c) => c.Key).sort(), keys, 'nothing else was uploaded');
    for (const Key of keys) await client.deleteObject({ Bucket, Key });
  });

  test('a folder is browsed in pages (markers), and the filter lists by prefix', async () => {
    const { page } = f;
    await page.goto(`${f.consoleUrl}#/b/${Bucket}?prefix=${encodeURIComponent('trip/day1/')}`);
    await page.waitForSelector('table.listing a.object');
    await page.select('select', '10');
    await page.waitForFunction(() => document.querySelectorAll('table.listing a.object').length === 10);
    const first = await listingNames(page);
    assert.deepEqual(first.slice(0, 2), ['../ (parent folder)', 'beach.jpg']);
    assert.equal(first[first.length - 1], 'clip-08.txt');
    await click(page, 'Next page');
    await page.waitForFunction(
      () => document.querySelector('table.listing a.object')?.textContent === 'clip-09.txt',
    );
    assert.deepEqual(await listingNames(page), ['clip-09.txt', 'clip-10.txt', 'clip-11.txt']);
    assert.equal(
      await (await button(page, 'Next page')).evaluate((b) => (b as HTMLButtonElement).disabled),
      true,
    );
    await click(page, 'Previous page');
    await page.waitForFunction(
      () => document.querySelector('table.listing a.object')?.textContent === 'beach.jpg',
    );

    await page.type('input[name=filter]', 'clip-1');
    await page.waitForFunction(() => document.querySelectorAll('table.listing a.object').length === 2);
    assert.deepEqual(await listingNames(page), ['../ (parent folder)', 'clip-10.txt', 'clip-11.txt']);
  });

  test('object details show size, type, ETag, CRC-64, metadata and tags', async () => {
    const { page, client } = f;
    await client.putObject({
      Bucket,
      Key: 'trip/tagged.txt',
      Body: Buffer.from('tagged body'),
      Metadata: { 'x-cos-meta-camera': 'x100' },
      Tagging: 'place=beach',
    });
    const head = await client.headObject({ Bucket, Key: 'trip/tagged.txt' });
    await page.goto(`${f.consoleUrl}#/o/${Bucket}?key=${encodeURIComponent('trip/tagged.txt')}`);
    await page.waitForSelector('dl.details');
    await waitForText(page, 'place');
    const text = await page.$eval('main', (m) => (m as HTMLElement).innerText);
    assert.match(text, /Size\s+11 B \(11 bytes\)/);
    assert.match(text, /Type\s+text\/plain/);
    assert.ok(text.includes(head.ETag), text);
    assert.ok(text.includes(head['x-cos-hash-crc64ecma']!), text);
    assert.match(text, /x-cos-meta-camera\s+x100/);
    assert.match(text, /place\s+beach/);
  });

  test("on a versioned bucket the details list the object's versions, newest first", async () => {
    const { page, client } = f;
    const Versioned = 'versioned-1250000000';
    await client.createBucket({ Bucket: Versioned });
    await client.putBucketVersioning({ Bucket: Versioned, Status: 'Enabled' });
    const first = await client.putObject({ Bucket: Versioned, Key: 'doc.txt', Body: 'one' });
    const second = await client.putObject({ Bucket: Versioned, Key: 'doc.txt', Body: 'two!' });
    assert.ok(first['x-cos-version-id'] && second['x-cos-version-id']);
    await page.goto(`${f.consoleUrl}#/o/${Versioned}?key=doc.txt`);
    await waitForText(page, 'Versions');
    const rows = await page.$$eval('main h2 + table.listing tbody tr', (trs) =>
      trs.map((tr) => (tr as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
    );
    assert.equal(rows.length, 2, rows.join(' | '));
    assert.ok(rows[0]!.startsWith(`${second['x-cos-version-id']} (latest) 4 B`), rows[0]);
    assert.ok(rows[1]!.startsWith(`${first['x-cos-version-id']} 3 B`), rows[1]);
  });

  test('a share link is made with the chosen expiry, copied, and downloads the exact bytes without a key', async () => {
    const { page, browser } = f;
    await browser
      .defaultBrowserContext()
      .overridePermissions(new URL(f.consoleUrl!).origin, [
        'clipboard-read',
        'clipboard-write',
        'clipboard-sanitized-write',
      ]);
    await page.goto(`${f.consoleUrl}#/o/${Bucket}?key=${encodeURIComponent('trip/day1/beach.jpg')}`);
    await page.waitForSelector('select[name=expires]');
    await page.select('select[name=expires]', '900');
    await click(page, 'Create link');
    const url = await (await page.waitForSelector('#share-url'))!.evaluate(
      (e) => (e as HTMLInputElement).value,
    );
    const signed = new URL(url);
    assert.equal(signed.host, new URL(f.server.url).host);
    const keyTime = signed.searchParams.get('q-key-time')!.split(';').map(Number);
    assert.ok(Math.abs(keyTime[1]! - keyTime[0]! - (900 + 60)) <= 1, `key time ${keyTime}`);
    await click(page, 'Copy');
    await waitForText(page, 'Copied');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
    const download = await fetch(url);
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), photo);
    const tampered = await fetch(url.replace('beach.jpg', 'notes.txt'));
    assert.equal(tampered.status, 403, 'the link is good for that key only');
  });

  test('delete asks first (Escape keeps the object), then deletes and returns to the folder', async () => {
    const { page, client } = f;
    await page.goto(`${f.consoleUrl}#/o/${Bucket}?key=${encodeURIComponent('trip/notes.txt')}`);
    await click(page, 'Delete…');
    await page.waitForSelector('dialog[open]');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog[open]'));
    assert.equal((await client.headObject({ Bucket, Key: 'trip/notes.txt' }))['Content-Length'], 6);
    await click(page, 'Delete…');
    await page.waitForSelector('dialog[open]');
    // Cancel has the focus: Enter alone would not delete.
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel');
    await (await page.waitForSelector('dialog[open] button.danger'))!.click();
    await page.waitForFunction(
      (b: string) => location.hash === `#/b/${b}?prefix=${encodeURIComponent('trip/')}`,
      {},
      Bucket,
    );
    await assert.rejects(client.headObject({ Bucket, Key: 'trip/notes.txt' }), { statusCode: 404 });
    await page.waitForFunction(() => document.querySelector('table.listing a.folder[href*="day1"]'));
    assert.deepEqual(await listingNames(page), ['../ (parent folder)', 'day1/', 'tagged.txt']);
  });

  test('objects ticked in a listing are deleted together (Delete Multiple Objects) after a confirmation', async () => {
    const { page, client } = f;
    for (const Key of ['trip/day1/clip-00.txt', 'trip/day1/clip-01.txt']) {
      assert.equal((await client.headObject({ Bucket, Key }))['Content-Length'], 6);
    }
    await page.goto(`${f.consoleUrl}#/b/${Bucket}?prefix=${encodeURIComponent('trip/day1/')}`);
    await page.waitForSelector('input[aria-label="Select clip-00.txt"]');
    assert.equal(
      await (await button(page, 'Delete selected (0)')).evaluate((b) => (b as HTMLButtonElement).disabled),
      true,
    );
    await page.click('input[aria-label="Select clip-00.txt"]');
    await page.click('input[aria-label="Select clip-01.txt"]');
    await click(page, 'Delete selected (2)');
    await page.waitForSelector('dialog[open]');
    assert.match(await page.$eval('dialog[open]', (d) => d.textContent ?? ''), /clip-00\.txt, clip-01\.txt/);
    await (await page.waitForSelector('dialog[open] button.danger'))!.click();
    await page.waitForFunction(() => !document.querySelector('input[aria-label="Select clip-00.txt"]'));
    for (const Key of ['trip/day1/clip-00.txt', 'trip/day1/clip-01.txt']) {
      await assert.rejects(client.headObject({ Bucket, Key }), { statusCode: 404 });
    }
    const left = await listingNames(page);
    assert.ok(left.includes('clip-02.txt') && left.includes('beach.jpg'), left.join());
  });

  test('keyboard: focus lands on each new heading, links and the file picker open with Enter, the skip button returns to the content', async () => {
    const { page } = f;
    await page.goto(`${f.consoleUrl}#/`);
    await page.reload();
    await page.waitForSelector('a.bucket');
    const active = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    assert.equal(await active(), 'Buckets');
    // Tab on until the bucket's link has focus, then open it with Enter.
    let focused = '';
    for (let i = 0; i < 10 && focused !== Bucket; i++) {
      await page.keyboard.press('Tab');
      focused = await active();
    }
    assert.equal(focused, Bucket);
    await page.keyboard.press('Enter');
    await page.waitForFunction((b: string) => location.hash === `#/b/${b}`, {}, Bucket);
    await page.waitForFunction(
      (b: string) => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === b,
      {},
      Bucket,
    );
    // The next stop is the file picker's button: Enter opens the chooser, and the file uploads.
    await page.keyboard.press('Tab');
    assert.equal(await active(), 'Upload files…');
    const opened = page.waitForFileChooser({ timeout: 10_000 });
    await page.evaluate(() => 0); // the chooser interception is in place before the key goes
    await page.keyboard.press('Enter');
    const chooser = await opened;
    await chooser.accept([join(dir, 'trip', 'notes.txt')]);
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>('li.upload[data-key="notes.txt"]')?.dataset['state'] === 'done',
      { timeout: 20_000 },
    );
    assert.equal((await objectBytes(f.client, Bucket, 'notes.txt')).toString(), 'sunny\n');
    await page.focus('h1');
    // Backwards through the header to the skip button, which brings focus back to the heading.
    for (let i = 0; i < 10 && focused !== 'Skip to content'; i++) {
      await page.keyboard.down('Shift');
      await page.keyboard.press('Tab');
      await page.keyboard.up('Shift');
      focused = await active();
    }
    assert.equal(focused, 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await active(), Bucket);
    // Every control is reachable by Tab: nothing is a click-only element or taken out of the order.
    const unreachable = await page.$$eval('[onclick], [tabindex="-1"]:not(h1)', (els) => els.length);
    assert.equal(unreachable, 0);
  });

  test('a server without its console (--no-console) answers the console URL with 404 NoSuchBucket', async () => {
    const bare = await startServer({ port: 0, storage: 'memory', logLevel: 'silent' });
    const tab = await f.browser.newPage();
    try {
      const response = await tab.goto(`${bare.url}/_console/`);
      assert.equal(response?.status(), 404);
      assert.match(await tab.content(), /NoSuchBucket/);
    } finally {
      await tab.close();
      await bare.close();
    }
  });

  test('at phone width nothing overflows sideways and the controls stay usable', async () => {
    const { page } = f;
    await page.setViewport({ width: 360, height: 740 });
    for (const hash of [
      `#/b/${Bucket}?prefix=${encodeURIComponent('trip/day1/')}`,
      `#/o/${Bucket}?key=${encodeURIComponent('trip/day1/beach.jpg')}`,
    ]) {
      await page.goto(`${f.consoleUrl}${hash}`);
      await page.waitForSelector('main h1');
      await page.waitForSelector('table.listing, dl.details');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${hash}: page is ${width}px wide`);
    }
    const target = await (await button(page, 'Create link')).boundingBox();
    assert.ok(target && target.height >= 40, 'buttons keep a touch-sized target');
    await page.setViewport({ width: 1100, height: 800 });
    assert.deepEqual(f.pageErrors, []);
  });
});
