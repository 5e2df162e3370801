/**
 * A real headless Chromium for browser tests: Debian's `chromium` (scripts/ensure-browser.mjs installs it
 * before the tests run) driven by `puppeteer-core`, and esbuild to bundle a module for the page exactly as
 * a web app's bundler would (platform `browser`: no Node built-ins resolve, so one slipping in fails the
 * bundle). A missing browser fails the test; it never skips.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export function chromiumPath(): string {
  const path = [process.env.COSKIT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p): p is string => typeof p === 'string' && existsSync(p),
  );
  if (!path)
    throw new Error(
      'no Chromium: run `node scripts/ensure-browser.mjs` (npm test does) or set COSKIT_CHROMIUM',
    );
  return path;
}

/**
 * Bundles `source` (an ES module that may import workspace packages) for browsers.
 * @param resolveDir where bare imports in `source` resolve from.
 */
export async function bundleForBrowser(source: string, resolveDir: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: 'ts', sourcefile: 'page-entry.ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** What a web app's bundler makes of a module: minified size, gzip size and every file it took in. */
export interface BundleReport {
  /** Bytes of the minified bundle. */
  readonly minifiedBytes: number;
  /** Bytes of the minified bundle after gzip (level 9). */
  readonly gzipBytes: number;
  /** Paths of the bundled inputs (relative to the working directory), as esbuild names them. */
  readonly inputs: readonly string[];
  /** Every import the bundle left unresolved or external (a `node:` built-in would show here). */
  readonly externalImports: readonly string[];
  readonly text: string;
}

/** Bundles and minifies `source` for browsers, as {@link bundleForBrowser} does, and reports on it. */
export async function bundleReport(source: string, resolveDir: string): Promise<BundleReport> {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: 'ts', sourcefile: 'page-entry.ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]!.text;
  const externalImports = Object.values(result.metafile.inputs).flatMap((input) =>
    input.imports.filter((i) => i.external).map((i) => i.path),
  );
  return {
    minifiedBytes: Buffer.byteLength(text),
    gzipBytes: gzipSync(text, { level: 9 }).length,
    inputs: Object.keys(result.metafile.inputs),
    externalImports,
    text,
  };
}

/** A fresh headless Chromium (Debian's, see {@link chromiumPath}); close it when done. */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // As root in a sandbox-less container; no background networking (this machine has no network).
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface BrowserPage {
  readonly page: Page;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `script` as /app.js behind a blank page on 127.0.0.1, opens it in a fresh headless Chromium and
 * waits until the module has run (it sets `window.ready`). Console errors of the page are rethrown.
 */
export async function openPage(script: string): Promise<BrowserPage> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><meta charset="utf-8">' +
            "<script>addEventListener('error', (e) => { window.failed = String(e.message); });</script>" +
            '<script type="module" src="/app.js"></script>',
        );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await launchChromium();
  const errors: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForFunction('window.ready === true || window.failed !== undefined', { timeout: 20_000 });
    const failed = await page.evaluate('window.failed');
    if (failed !== undefined || errors.length)
      throw new Error(`page failed: ${String(failed ?? errors.join('; '))}`);
    return {
      page,
      url,
      close: async () => {
        await browser.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } catch (err) {
    await browser.close();
    server.close();
    throw err;
  }
}
