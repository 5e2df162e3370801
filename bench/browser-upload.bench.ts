/**
 * Browser upload speed against the Node client, to the same `coskit serve` (child process, CORS
 * open, same machine): `uploadFile` of a `File` in headless Chromium (the browser build of
 * `@coskit/client`: XHR parts, 16 MiB × 4 by default) and `uploadFile` of the same bytes from a
 * local file in Node, alternating, `--rounds` times each. Prints MB/s of each and the
 * browser / Node ratio of the medians. The page's file is made in the page (no disk read on
 * either side: the Node file is in the page cache after the first round).
 *
 *   npm run build && node bench/dist/browser-upload.bench.js [--mib 256] [--rounds 3]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleForBrowser, openPage } from '@coskit/test-support/browser';
import { coskitClient } from './lib/clients.js';
import { DEV_KEY, REGION } from './lib/signed-request.js';
import { COSKIT_BIN, spawnCoskitServer } from './lib/spawn.js';

const { values } = parseArgs({
  options: { mib: { type: 'string', default: '256' }, rounds: { type: 'string', default: '3' } },
});
const MiB = 1024 * 1024;
const mib = Number(values.mib);
const size = mib * MiB;
const rounds = Number(values.rounds);
const bucket = 'bench-1250000000';

/** Byte j of MiB k: the same function in the page and here. */
function fileBytes(): Buffer {
  const out = Buffer.alloc(size);
  for (let k = 0; k < mib; k++) for (let j = 0; j < MiB; j++) out[k * MiB + j] = (j * 31 + k * 7) & 0xff;
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = await mkdtemp(join(tmpdir(), 'coskit-bench-browser-'));
const server = await spawnCoskitServer(join(dir, 'data'), COSKIT_BIN, ['--cors', '*']);
const here = fileURLToPath(new URL('.', import.meta.url));
const page = await openPage(
  await bundleForBrowser(
    `import * as coskit from '@coskit/client';
const MiB = ${MiB};
globalThis.upload = async (config, mib, key) => {
  const blocks = [];
  for (let k = 0; k < mib; k++) {
    const block = new Uint8Array(MiB);
    for (let j = 0; j < MiB; j++) block[j] = (j * 31 + k * 7) & 0xff;
    blocks.push(block);
  }
  const file = new File(blocks, key, { lastModified: Date.now() });
  const client = new coskit.CosS3Client(new coskit.CosConfig(config));
  const started = performance.now();
  const r = await client.uploadFile({ Bucket: '${bucket}', Key: key, Body: file, Checkpoint: false });
  return { seconds: (performance.now() - started) / 1000, crc: r['x-cos-hash-crc64ecma'] };
};
globalThis.ready = true;`,
    here,
  ),
);
const node = coskitClient(server.port);
try {
  await node.createBucket({ Bucket: bucket });
  const path = join(dir, 'big.bin');
  await writeFile(path, fileBytes());
  const config = {
    Region: REGION,
    SecretId: DEV_KEY.secretId,
    SecretKey: DEV_KEY.secretKey,
    Scheme: 'http',
    IP: '127.0.0.1',
    Port: server.port,
  };
  const browserRates: number[] = [];
  const nodeRates: number[] = [];
  let crcs = new Set<string | undefined>();
  for (let round = 1; round <= rounds; round++) {
    const b = (await page.page.evaluate(
      (c, m, k) =>
        (globalThis as unknown as { upload: (...a: unknown[]) => Promise<unknown> }).upload(c, m, k),
      config,
      mib,
      `browser-${round}.bin`,
    )) as { seconds: number; crc: string };
    const started = performance.now();
    const n = await node.uploadFile({ Bucket: bucket, Key: `node-${round}.bin`, LocalFilePath: path });
    const nodeSeconds = (performance.now() - started) / 1000;
    browserRates.push(size / 1e6 / b.seconds);
    nodeRates.push(size / 1e6 / nodeSeconds);
    crcs = new Set([...crcs, b.crc, n['x-cos-hash-crc64ecma']]);
    console.log(
      `round ${round}: browser ${(size / 1e6 / b.seconds).toFixed(0)} MB/s, node ${(size / 1e6 / nodeSeconds).toFixed(0)} MB/s`,
    );
  }
  if (crcs.size !== 1) throw new Error(`the uploads differ: CRC-64s ${[...crcs].join(', ')}`);
  const b = median(browserRates);
  const n = median(nodeRates);
  console.log(
    `${mib} MiB uploadFile, median of ${rounds}: browser (headless Chromium, XHR) ${b.toFixed(0)} MB/s`,
  );
  console.log(
    `${mib} MiB uploadFile, median of ${rounds}: Node (node:http)                 ${n.toFixed(0)} MB/s`,
  );
  console.log(`browser / Node: ${(b / n).toFixed(2)}`);
} finally {
  node.destroy();
  await page.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
