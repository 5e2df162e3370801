#!/usr/bin/env node
// Takes the README's screenshots of the console (docs/console.png, docs/console-phone.png): a
// memory server serving the built console, a bucket with a few objects, a folder upload under way.
// Run after `npm run build`: node packages/console/scripts/screenshot.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosConfig, CosS3Client } from '@coskit/client';
import { DEVELOPMENT_CREDENTIAL, startServer } from '@coskit/server';
import { launchChromium } from '@coskit/test-support/browser';
import { CONSOLE_DIR } from '../dist/src/index.js';
import { throttleProxy } from '../dist/test/support/throttle-proxy.js';

const docs = new URL('../../../docs/', import.meta.url).pathname;
const server = await startServer({ port: 0, storage: 'memory', logLevel: 'silent', consoleDir: CONSOLE_DIR });
const client = new CosS3Client(
  new CosConfig({
    Region: 'ap-guangzhou',
    SecretId: DEVELOPMENT_CREDENTIAL.secretId,
    SecretKey: DEVELOPMENT_CREDENTIAL.secretKey,
    Scheme: 'http',
    IP: '127.0.0.1',
    Port: server.port,
  }),
);
const Bucket = 'photos-1250000000';
await client.createBucket({ Bucket });
await client.createBucket({ Bucket: 'backups-1250000000' });
for (const [Key, size] of [
  ['2024/beach.jpg', 2_400_000],
  ['2024/harbour.jpg', 3_100_000],
  ['2025/', 0],
  ['README.txt', 1_200],
  ['index.html', 5_800],
]) {
  await client.putObject({ Bucket, Key, Body: new Uint8Array(size) });
}
const dir = mkdtempSync(join(tmpdir(), 'coskit-shot-'));
const upload = join(dir, 'holiday');
rmSync(upload, { recursive: true, force: true });
await import('node:fs/promises').then((fs) => fs.mkdir(upload));
writeFileSync(join(upload, 'video.mp4'), new Uint8Array(40 * 1024 * 1024));
writeFileSync(join(upload, 'notes.txt'), 'sunny');

// A slow uplink, so that the picture shows an upload under way (progress and speed).
const proxy = await throttleProxy(server.port, 12 * 1024 * 1024);
const consoleUrl = `http://127.0.0.1:${proxy.port}/_console/`;
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 900, deviceScaleFactor: 1 });
  await page.goto(consoleUrl);
  await page.waitForFunction(() =>
    [...document.querySelectorAll('button')].some((b) => b.textContent.includes('development')),
  );
  await page.evaluate(() =>
    [...document.querySelectorAll('button')].find((b) => b.textContent.includes('development')).click(),
  );
  await page.waitForSelector('a.bucket');
  await page.goto(`${consoleUrl}#/b/${Bucket}`);
  await page.waitForSelector('table.listing a.object');
  const input = await page.waitForSelector('input[name=folder]');
  await input.uploadFile(upload);
  await page.waitForFunction(
    () => document.querySelector('li.upload[data-key="holiday/notes.txt"]')?.dataset.state === 'done',
  );
  await new Promise((r) => setTimeout(r, 1500));
  await page.evaluate(() => document.activeElement?.blur());
  await page.screenshot({ path: join(docs, 'console.png'), fullPage: true });
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 1 });
  await page.goto(`${consoleUrl}#/o/${Bucket}?key=${encodeURIComponent('2024/beach.jpg')}`);
  await page.waitForSelector('dl.details');
  await page.screenshot({ path: join(docs, 'console-phone.png') });
  console.log(`screenshots: ${join(docs, 'console.png')}, ${join(docs, 'console-phone.png')}`);
} finally {
  await browser.close();
  await proxy.close();
  client.destroy();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
