/**
 * `@coskit/client` in a real headless browser (Chromium unless told; Firefox too) against a real
 * `coskit serve`: the server on
 * loopback (port 0, CORS open to every origin as `coskit serve --cors '*'` does), the SDK bundled
 * for the browser platform exactly as a web app's bundler would take it (`@coskit/client`, the
 * `browser` export condition), and a page that has it as `globalThis.coskit`.
 */
import { fileURLToPath } from 'node:url';
import {
  type Credential,
  DEVELOPMENT_CREDENTIAL,
  developmentCorsRule,
  type RunningServer,
  startServer,
} from '@coskit/server';
import { type BrowserName, type BrowserPage, bundleForBrowser, openPage } from '@coskit/test-support/browser';
import type * as browserEntry from '../../src/browser.js';
import { CosConfig, CosS3Client } from '../../src/index.js';

export const REGION = 'ap-guangzhou';
const testDir = fileURLToPath(new URL('..', import.meta.url));

export interface BrowserHarness {
  readonly server: RunningServer;
  readonly page: BrowserPage;
  /** A Node client of the same server, to set up and to check what the page did. */
  readonly node: CosS3Client;
  /** What a page passes to `new coskit.CosConfig(...)` to reach the server. */
  readonly pageConfig: Record<string, unknown>;
  /**
   * Runs `fn(coskit, config, arg)` in the page and returns its result; `fn` must be
   * self-contained (it is serialised into the page).
   */
  inPage<A, R>(
    fn: (coskit: typeof browserEntry, config: Record<string, unknown>, arg: A) => R | Promise<R>,
    arg: A,
  ): Promise<R>;
  close(): Promise<void>;
}

/** Bundles `@coskit/client` for the browser (plus `extraSource`, a module body run after it). */
export function sdkBundle(extraSource = ''): Promise<string> {
  return bundleForBrowser(
    `import * as coskit from '@coskit/client';\nObject.assign(globalThis, { coskit });\n${extraSource}\nglobalThis.ready = true;`,
    testDir,
  );
}

export async function startBrowserHarness(
  options: {
    script?: string;
    credentials?: Credential[];
    storage?: 'memory' | 'local';
    dataDir?: string;
    /** Which browser opens the page (Chromium unless told). */
    browser?: BrowserName;
  } = {},
): Promise<BrowserHarness> {
  const server = await startServer({
    port: 0,
    storage: options.storage ?? 'memory',
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    logLevel: 'silent',
    cors: [developmentCorsRule(['*'])],
    // The development pair stays valid beside the temporary keys a test adds.
    ...(options.credentials ? { credentials: [DEVELOPMENT_CREDENTIAL, ...options.credentials] } : {}),
  });
  const node = new CosS3Client(
    new CosConfig({
      Region: REGION,
      SecretId: DEVELOPMENT_CREDENTIAL.secretId,
      SecretKey: DEVELOPMENT_CREDENTIAL.secretKey,
      Scheme: 'http',
      IP: '127.0.0.1',
      Port: server.port,
    }),
  );
  let page: BrowserPage;
  try {
    page = await openPage(options.script ?? (await sdkBundle()), {
      browser: options.browser ?? 'chromium',
    });
  } catch (err) {
    node.destroy();
    await server.close();
    throw err;
  }
  const pageConfig = {
    Region: REGION,
    SecretId: DEVELOPMENT_CREDENTIAL.secretId,
    SecretKey: DEVELOPMENT_CREDENTIAL.secretKey,
    Scheme: 'http',
    IP: '127.0.0.1',
    Port: server.port,
    Retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
  };
  return {
    server,
    page,
    node,
    pageConfig,
    inPage(fn, arg) {
      const run = (source: string, config: unknown, a: unknown) =>
        new Function('coskit', 'config', 'a', `return (${source})(coskit, config, a);`)(
          (globalThis as unknown as { coskit: unknown }).coskit,
          config,
          a,
        );
      return page.page.evaluate(run, fn.toString(), pageConfig, arg as unknown) as Promise<never>;
    },
    async close() {
      await page.close();
      node.destroy();
      await server.close();
    },
  };
}
