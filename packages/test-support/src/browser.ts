/**
 * Real headless browsers for browser tests: Debian's `chromium` and `firefox-esr` (scripts/ensure-browser.mjs
 * installs both before the tests run) driven by `puppeteer-core` (Chromium over CDP, Firefox over WebDriver
 * BiDi), and esbuild to bundle a module for the page exactly as a web app's bundler would (platform
 * `browser`: no Node built-ins resolve, so one slipping in fails the bundle). A missing browser fails the
 * test; it never skips.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** The browsers the tests run in. */
export type BrowserName = 'chromium' | 'firefox';
/** Every browser a cross-browser test runs in, in the order the tests name them. */
export const BROWSERS: readonly BrowserName[] = ['chromium', 'firefox'];

/** Where each browser may be, first match wins: an environment override, then Debian's paths. */
const BINARIES: Record<BrowserName, { env: string; paths: string[]; label: string }> = {
  chromium: {
    env: 'COSKIT_CHROMIUM',
    paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser'],
    label: 'Chromium',
  },
  firefox: { env: 'COSKIT_FIREFOX', paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'], label: 'Firefox' },
};

/** The binary of `name` on this machine; throws (never skips) with what to do when there is none. */
export function browserPath(name: BrowserName): string {
  const { env, paths, label } = BINARIES[name];
  const path = [process.env[env], ...paths].find((p): p is string => typeof p === 'string' && existsSync(p));
  if (!path)
    throw new Error(`no ${label}: run \`node scripts/ensure-browser.mjs\` (npm test does) or set ${env}`);
  return path;
}

/** Debian's Chromium (or `COSKIT_CHROMIUM`). */
export function chromiumPath(): string {
  return browserPath('chromium');
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
  return launchBrowser('chromium');
}

/**
 * A fresh headless `name` (see {@link browserPath}) with a throwaway profile; close it when done.
 * Firefox is driven over WebDriver BiDi, so CDP-only calls (`page.target().createCDPSession()`,
 * `page.metrics()`) work in Chromium only.
 */
export async function launchBrowser(name: BrowserName): Promise<Browser> {
  const browser = await launchUnchecked(name);
  // A test named for Firefox must not pass in Chromium (a COSKIT_FIREFOX pointing elsewhere, say).
  const version = await browser.version();
  if (!(name === 'firefox' ? /^firefox\//i : /chrom/i).test(version)) {
    await browser.close();
    throw new Error(`asked for ${name}, got ${version}`);
  }
  return browser;
}

function launchUnchecked(name: BrowserName): Promise<Browser> {
  if (name === 'firefox') {
    return puppeteer.launch({
      browser: 'firefox',
      executablePath: browserPath('firefox'),
      headless: true,
      // This machine has no network: nothing may phone home (puppeteer's own prefs already stop
      // updates, telemetry and safe browsing); a slow network check would only delay the tests.
      extraPrefsFirefox: {
        'network.connectivity-service.enabled': false,
        'network.captive-portal-service.enabled': false,
        'browser.region.network.url': '',
      },
    });
  }
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
  /** Which browser the page is in. */
  readonly browser: BrowserName;
  readonly page: Page;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `script` as /app.js behind a blank page on 127.0.0.1, opens it in a fresh headless browser
 * (`options.browser`, Chromium unless told) and waits until the module has run (it sets
 * `window.ready`). Console errors of the page are rethrown.
 */
export async function openPage(
  script: string,
  options: { browser?: BrowserName } = {},
): Promise<BrowserPage> {
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
  const browser = await launchBrowser(options.browser ?? 'chromium');
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
      browser: options.browser ?? 'chromium',
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
