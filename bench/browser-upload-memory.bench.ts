/**
 * Memory of a multi-GB browser upload: a sparse file of `--gib` GiB on disk is handed to a page's
 * `<input type="file">` (puppeteer's `uploadFile`, so the page gets a disk-backed `File` and never
 * holds it), and the browser build's `uploadFile` sends it with its defaults (16 MiB × 4) to
 * `coskit serve --cors '*'` (child process). While it runs, every `--every` ms, the page's JS heap
 * (CDP `Runtime.getHeapUsage`: the V8 heap and the ArrayBuffer backing stores, where a part read
 * for its CRC-64 lives) and the RSS of the page's renderer process and of all Chromium processes
 * are sampled. Prints each peak over the same figures idle (the page loaded, the file picked,
 * nothing sent), against the bound PartSize × MAXThread, as a ratio. Chromium only (CDP).
 *
 *   npm run build && node bench/dist/browser-upload-memory.bench.js [--gib 2] [--every 200]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UPLOAD_DEFAULTS } from '@coskit/client';
import { bundleForBrowser, openPage } from '@coskit/test-support/browser';
import { coskitClient } from './lib/clients.js';
import { DEV_KEY, REGION } from './lib/signed-request.js';
import { COSKIT_BIN, spawnCoskitServer } from './lib/spawn.js';

const { values } = parseArgs({
  options: { gib: { type: 'string', default: '2' }, every: { type: 'string', default: '200' } },
});
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const size = Number(values.gib) * GiB;
const everyMs = Number(values.every);
const bucket = 'bench-1250000000';
const bound = UPLOAD_DEFAULTS.partSizeMiB * UPLOAD_DEFAULTS.maxThread * MiB;

/** Processes by pid: parent pid, RSS in bytes, and whether the command line says renderer. */
function processTable(): Map<number, { ppid: number; rss: number; renderer: boolean }> {
  const table = new Map<number, { ppid: number; rss: number; renderer: boolean }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
      const renderer = readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('--type=renderer');
      table.set(Number(name), { ppid, rss, renderer });
    } catch {
      // gone between readdir and read
    }
  }
  return table;
}

/** RSS of `root` and all its descendants, and of each renderer among them. */
function rssOfTree(root: number): { total: number; renderers: Map<number, number> } {
  const table = processTable();
  const inTree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of table)
      if (!inTree.has(pid) && inTree.has(p.ppid)) {
        inTree.add(pid);
        grew = true;
      }
  }
  let total = 0;
  const renderers = new Map<number, number>();
  for (const pid of inTree) {
    const p = table.get(pid);
    if (!p) continue;
    total += p.rss;
    if (p.renderer) renderers.set(pid, p.rss);
  }
  return { total, renderers };
}

const mb = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
const dir = await mkdtemp(join(tmpdir(), 'coskit-bench-browser-mem-'));
const server = await spawnCoskitServer(join(dir, 'data'), COSKIT_BIN, ['--cors', '*']);
const here = fileURLToPath(new URL('.', import.meta.url));
const page = await openPage(
  await bundleForBrowser(
    `import * as coskit from '@coskit/client';
const input = document.createElement('input');
input.type = 'file';
input.id = 'file';
document.body.append(input);
globalThis.start = (config, key) => {
  const file = input.files[0];
  const client = new coskit.CosS3Client(new coskit.CosConfig(config));
  globalThis.sent = 0;
  const started = performance.now();
  globalThis.outcome = undefined;
  client
    .uploadFile({ Bucket: '${bucket}', Key: key, Body: file, Checkpoint: false, onProgress: (done) => { globalThis.sent = done; } })
    .then(
      (r) => { globalThis.outcome = { seconds: (performance.now() - started) / 1000, parts: r.partsSent, crc: r['x-cos-hash-crc64ecma'] }; },
      (e) => { globalThis.outcome = { error: String(e) }; },
    );
  return { name: file.name, size: file.size };
};
globalThis.ready = true;`,
    here,
  ),
);
const node = coskitClient(server.port);
try {
  await node.createBucket({ Bucket: bucket });
  const path = join(dir, 'sparse.bin');
  await writeFile(path, '');
  await truncate(path, size);
  const input = await page.page.$('#file');
  if (!input) throw new Error('no file input in the page');
  await input.uploadFile(path);
  const browserPid = page.page.browser().process()?.pid;
  if (browserPid === undefined) throw new Error('no Chromium process to measure');
  const cdp = await page.page.createCDPSession();
  await cdp.send('HeapProfiler.collectGarbage');

  /** One sample: JS heap of the page, RSS of the largest renderer (the page's) and of all Chromium. */
  const sample = async () => {
    const heap = await cdp.send('Runtime.getHeapUsage');
    const rss = rssOfTree(browserPid);
    return {
      jsHeap: heap.usedSize,
      buffers: heap.backingStorageSize,
      renderer: Math.max(0, ...rss.renderers.values()),
      chromium: rss.total,
    };
  };
  type Sample = Awaited<ReturnType<typeof sample>>;
  const peakOf = (samples: Sample[]) => ({
    jsHeap: Math.max(...samples.map((s) => s.jsHeap)),
    buffers: Math.max(...samples.map((s) => s.buffers)),
    heapAndBuffers: Math.max(...samples.map((s) => s.jsHeap + s.buffers)),
    renderer: Math.max(...samples.map((s) => s.renderer)),
    chromium: Math.max(...samples.map((s) => s.chromium)),
  });
  const idleSamples: Sample[] = [];
  for (let i = 0; i < 10; i++) {
    idleSamples.push(await sample());
    await new Promise((r) => setTimeout(r, everyMs));
  }
  const idle = peakOf(idleSamples);

  const config = {
    Region: REGION,
    SecretId: DEV_KEY.secretId,
    SecretKey: DEV_KEY.secretKey,
    Scheme: 'http',
    IP: '127.0.0.1',
    Port: server.port,
  };
  const picked = (await page.page.evaluate(
    (c, k) => (globalThis as unknown as { start: (...a: unknown[]) => unknown }).start(c, k),
    config,
    'big.bin',
  )) as { name: string; size: number };
  if (picked.size !== size) throw new Error(`the page's File has ${picked.size} bytes, not ${size}`);
  const busy: Sample[] = [];
  let outcome: { seconds: number; parts: number; crc: string } | { error: string } | undefined;
  // A stall (no byte sent for a minute) fails the bench with where it stood, instead of hanging.
  let lastSent = -1;
  let lastMove = performance.now();
  let lastReport = performance.now();
  while (outcome === undefined) {
    busy.push(await sample());
    await new Promise((r) => setTimeout(r, everyMs));
    outcome = (await page.page.evaluate('globalThis.outcome')) as typeof outcome;
    const sent = (await page.page.evaluate('globalThis.sent')) as number;
    const now = performance.now();
    if (sent !== lastSent) {
      lastSent = sent;
      lastMove = now;
    } else if (now - lastMove > 60_000) {
      throw new Error(`no progress for 60 s at ${sent} of ${size} bytes`);
    }
    if (now - lastReport > 10_000) {
      lastReport = now;
      console.log(`  … ${mb(sent)} of ${mb(size)} sent`);
    }
  }
  if ('error' in outcome) throw new Error(`the upload failed: ${outcome.error}`);
  const head = await node.headObject({ Bucket: bucket, Key: 'big.bin' });
  if (head['Content-Length'] !== size) throw new Error(`stored ${head['Content-Length']} bytes, not ${size}`);
  const peak = peakOf(busy);

  console.log(
    `browser uploadFile (headless Chromium) of a ${values.gib} GiB File from a file input, defaults ` +
      `(${UPLOAD_DEFAULTS.partSizeMiB} MiB × ${UPLOAD_DEFAULTS.maxThread}): ${outcome.parts} parts in ` +
      `${outcome.seconds.toFixed(1)} s (${(size / 1e6 / outcome.seconds).toFixed(0)} MB/s), ${busy.length} samples`,
  );
  const rows: [string, keyof typeof peak][] = [
    ['page JS heap (V8 used)', 'jsHeap'],
    ['page ArrayBuffer backing stores', 'buffers'],
    ['page JS heap + ArrayBuffers', 'heapAndBuffers'],
    ["page's renderer process RSS", 'renderer'],
    ['all Chromium processes RSS', 'chromium'],
  ];
  console.log(
    `${'figure'.padEnd(34)}${'idle'.padStart(10)}${'peak'.padStart(10)}${'over idle'.padStart(11)}  / bound`,
  );
  for (const [label, k] of rows) {
    const over = peak[k] - idle[k];
    console.log(
      `${label.padEnd(34)}${mb(idle[k]).padStart(10)}${mb(peak[k]).padStart(10)}${mb(over).padStart(11)}  ${(over / bound).toFixed(2)}x`,
    );
  }
  console.log(
    `\nbound PartSize × MAXThread = ${mb(bound)}; the file is ${values.gib} GiB (${(size / bound).toFixed(0)}x the bound)`,
  );
} finally {
  node.destroy();
  await page.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
