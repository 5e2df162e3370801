/**
 * The console in a real headless Chromium against a real `coskit serve` (memory storage, port 0)
 * that serves the built console from `CONSOLE_DIR`, plus a Node client for checking what the
 * page stored. Page errors fail the test.
 */
import { CosConfig, CosS3Client } from '@coskit/client';
import { DEVELOPMENT_CREDENTIAL, type RunningServer, startServer } from '@coskit/server';
import { launchChromium } from '@coskit/test-support/browser';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { CONSOLE_DIR } from '../../src/index.js';
import { type ThrottleProxy, throttleProxy } from './throttle-proxy.js';

export interface ConsoleFixture {
  readonly server: RunningServer;
  readonly browser: Browser;
  readonly page: Page;
  /** The Node SDK on the same server, for checking what the page did. */
  readonly client: CosS3Client;
  /** Errors the page threw (uncaught). */
  readonly pageErrors: string[];
  /** The console's URL as the page opened it (the proxy's, with `uplinkBytesPerSecond`). */
  readonly consoleUrl: string;
  close(): Promise<void>;
}

/**
 * @param options.uplinkBytesPerSecond - open the console through {@link throttleProxy}: the page's
 *   request bodies travel at this rate.
 */
export async function openConsole(options: { uplinkBytesPerSecond?: number } = {}): Promise<ConsoleFixture> {
  const server = await startServer({
    port: 0,
    storage: 'memory',
    logLevel: 'silent',
    consoleDir: CONSOLE_DIR,
  });
  const proxy: ThrottleProxy | undefined = options.uplinkBytesPerSecond
    ? await throttleProxy(server.port, options.uplinkBytesPerSecond)
    : undefined;
  const consoleUrl = proxy ? `http://127.0.0.1:${proxy.port}/_console/` : server.consoleUrl!;
  const browser = await launchChromium();
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.setViewport({ width: 1100, height: 800 });
  await page.goto(consoleUrl);
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
  return {
    server,
    browser,
    page,
    client,
    pageErrors,
    consoleUrl,
    async close() {
      client.destroy();
      await browser.close();
      await proxy?.close();
      await server.close();
    },
  };
}

/** The visible button (or link styled as one) whose text is exactly `text`. */
export async function button(page: Page, text: string): Promise<ElementHandle<HTMLElement>> {
  const handle = await page.waitForFunction(
    (t: string) =>
      [...document.querySelectorAll<HTMLElement>('button, a.button')].find(
        (b) => b.textContent?.trim() === t && b.offsetParent !== null,
      ),
    { timeout: 10_000 },
    text,
  );
  return handle as ElementHandle<HTMLElement>;
}

export async function click(page: Page, text: string): Promise<void> {
  await (await button(page, text)).click();
}

/** Waits until the page's text contains `text`. */
export async function waitForText(page: Page, text: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction((t: string) => document.body.innerText.includes(t), { timeout }, text);
}

/** The texts of the listing's links (folders and objects, `../` included). */
export function listingNames(page: Page): Promise<string[]> {
  return page.$$eval('table.listing tbody a', (links) => links.map((a) => a.textContent?.trim() ?? ''));
}

/** Signs in with the development pair the server offers. */
export async function signInWithDevelopmentPair(page: Page): Promise<void> {
  await click(page, 'Use the development key pair');
  await page.waitForSelector('input[name=bucket]');
}

/** Upload states by key, from the uploads panel. */
export function uploadStates(page: Page): Promise<Record<string, string>> {
  return page.$$eval('li.upload', (items) =>
    Object.fromEntries(
      items.map((li) => [(li as HTMLElement).dataset['key'], (li as HTMLElement).dataset['state']]),
    ),
  );
}

/** Bytes of an object, read back with the Node SDK. */
export async function objectBytes(client: CosS3Client, Bucket: string, Key: string): Promise<Buffer> {
  const r = await client.getObject({ Bucket, Key });
  const chunks: Buffer[] = [];
  for await (const chunk of r.Body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
