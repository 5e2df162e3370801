#!/usr/bin/env node
// The main job in one command (`npm run demo`): start the embedded COS-compatible server, create a
// bucket, generate a sample folder (nested, unicode, empty and one multipart-sized file), upload it
// with `coskit cp -r` (progress bars on a terminal), interrupt a large upload with Ctrl-C (SIGINT)
// and resume it by running the same command again, verify every object's CRC-64 against the local
// file, print a summary, and stop the server. Everything lives under ./.coskit-demo.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CosConfig, CosS3Client } from '@coskit/client';
import { crc64, crc64ToDecimal } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL } from '@coskit/server';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'packages/cli/bin/coskit.js');
const work = join(root, '.coskit-demo');
const MiB = 1024 * 1024;
const bucket = 'demo-1250000000';

function step(text) {
  process.stdout.write(`\n\x1b[1m==> ${text}\x1b[0m\n`);
}

function coskit(args, env, options = {}) {
  return spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    stdio: options.stdio ?? 'inherit',
  });
}

function exitOf(child) {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
}

async function run(args, env) {
  const code = await exitOf(coskit(args, env));
  if (code !== 0) throw new Error(`coskit ${args.join(' ')} exited with ${code}`);
}

async function makeSampleFolder(dir) {
  const files = {
    'README.txt': Buffer.from('coskit demo\n'),
    'docs/guide.md': randomBytes(20_000),
    'docs/empty.txt': Buffer.alloc(0),
    '图片/照片 1.jpg': randomBytes(300_000),
    'data/big.bin': randomBytes(40 * MiB), // over the 20 MiB threshold: multipart
  };
  for (let i = 0; i < 200; i++) files[`logs/2026/11/${String(i).padStart(3, '0')}.log`] = randomBytes(2048);
  for (const [rel, bytes] of Object.entries(files)) {
    await mkdir(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), bytes);
  }
  return Object.keys(files);
}

await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
const started = performance.now();

step('Starting the embedded COS-compatible server (coskit serve)');
const server = coskit(
  ['serve', '--port', '0', '--data', join(work, 'data'), '--log-level', 'warn'],
  {},
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (c) => {
    out += c;
    process.stdout.write(c);
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const env = { COSKIT_ENDPOINT: url, COSKIT_CONFIG: join(work, 'config.json') };
const checkpoints = ['--checkpoint-dir', join(work, 'checkpoints')];

try {
  step(`Creating the bucket cos://${bucket}`);
  await run(['mb', `cos://${bucket}`], env);

  step('Generating a sample folder (205 files, nested, unicode, empty, one 40 MiB file)');
  const folder = join(work, 'sample');
  const files = await makeSampleFolder(folder);

  step('Uploading the folder: coskit cp -r sample cos://demo/sample/');
  await run(['cp', '-r', folder, `cos://${bucket}/sample/`, ...checkpoints], env);

  step('Uploading a 128 MiB file and interrupting it with Ctrl-C (SIGINT) after 2 s');
  const big = join(work, 'large.bin');
  await writeFile(big, randomBytes(128 * MiB));
  const target = `cos://${bucket}/large.bin`;
  const slow = ['--part-size', '8', '--threads', '2', '--rate-limit', '83886080'];
  const interrupted = coskit(['cp', big, target, ...checkpoints, ...slow], env);
  setTimeout(() => interrupted.kill('SIGINT'), 2000);
  const code = await exitOf(interrupted);
  process.stdout.write(`(the interrupted upload exited with code ${code})\n`);

  step('Running the same command again: it resumes from the checkpoint');
  await run(['cp', big, target, ...checkpoints, '--part-size', '8', '--threads', '2'], env);

  step("Verifying every object's CRC-64 against the local file");
  const port = Number(new URL(url).port);
  const client = new CosS3Client(
    new CosConfig({
      Region: 'ap-guangzhou',
      SecretId: DEVELOPMENT_CREDENTIAL.secretId,
      SecretKey: DEVELOPMENT_CREDENTIAL.secretKey,
      Scheme: 'http',
      IP: '127.0.0.1',
      Port: port,
    }),
  );
  const expected = new Map(files.map((rel) => [`sample/${rel}`, join(folder, rel)]));
  expected.set('large.bin', big);
  let verified = 0;
  let bytes = 0;
  const mismatches = [];
  for (const [key, path] of expected) {
    const local = await readFile(path);
    const head = await client.headObject({ Bucket: bucket, Key: key });
    if (
      head['x-cos-hash-crc64ecma'] === crc64ToDecimal(crc64(local)) &&
      head['Content-Length'] === local.length
    )
      verified++;
    else mismatches.push(relative(work, path));
    bytes += local.length;
  }
  client.destroy();

  step('Summary');
  process.stdout.write(
    `objects verified: ${verified}/${expected.size} (${(bytes / MiB).toFixed(1)} MiB), CRC-64 equal to the local files\n` +
      `interrupted upload resumed: yes\n` +
      `total time: ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (mismatches.length > 0) throw new Error(`CRC-64 mismatch: ${mismatches.join(', ')}`);
} finally {
  step('Stopping the server');
  server.kill('SIGTERM');
  await exitOf(server);
}
