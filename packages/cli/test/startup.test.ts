/**
 * Start-up: `coskit --version`, `--help` and every command but `serve` run without loading the
 * server package (LMDB, pino), and the version comes from package.json. Timing and memory of the
 * start-up are measured in bench/cli-startup.bench.ts, not here.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEVELOPMENT_CREDENTIAL } from '@coskit/server';
import { DEVELOPMENT_KEY } from '../src/settings/development-key.js';
import { BIN, type CliHarness, cleanEnv, startHarness } from './support/harness.js';

const PRELOAD = fileURLToPath(new URL('./support/record-imports.js', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

let h: CliHarness;
let dir: string;
before(async () => {
  h = await startHarness();
  dir = await mkdtemp(join(tmpdir(), 'coskit-cli-startup-'));
});
after(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

let runs = 0;
/** Runs the bin with the import recorder; returns its output and every module URL it resolved. */
async function traced(args: string[]): Promise<{ code: number | null; stdout: string; modules: string[] }> {
  const log = join(dir, `imports-${++runs}.txt`);
  // Asynchronous: the server the command talks to runs in this process.
  const child = spawn(process.execPath, ['--import', PRELOAD, BIN, ...args], {
    env: cleanEnv({ ...h.env, COSKIT_IMPORT_LOG: log }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c;
  });
  child.stderr.resume();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const modules = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { code, stdout, modules };
}

const serverModules = (modules: string[]) =>
  modules.filter((m) => /\/packages\/server\/|\/node_modules\/(lmdb|pino)\//.test(m));

test('--version, --help and commands other than serve never load the server package', async () => {
  const bucket = await h.bucket();
  // Something to list: `ls` of nothing exits 1.
  await h.client.putObject({ Bucket: bucket, Key: 'one.txt', Body: '1' });
  for (const args of [['--version'], ['--help'], ['serve', '--help'], ['ls', `cos://${bucket}`], ['ls']]) {
    const r = await traced(args);
    assert.equal(r.code, 0, `coskit ${args.join(' ')}`);
    assert.ok(r.modules.length > 10, `the recorder saw the CLI's own modules for ${args.join(' ')}`);
    assert.deepEqual(serverModules(r.modules), [], `coskit ${args.join(' ')} loaded the server`);
  }
  // serve checks its flags before loading the server: a bad one exits 2 with nothing loaded.
  const bad = await traced(['serve', '--port', 'x']);
  assert.equal(bad.code, 2);
  assert.deepEqual(serverModules(bad.modules), []);
});

test('serve loads the server package when it runs', async () => {
  const log = join(dir, 'imports-serve.txt');
  const child = spawn(
    process.execPath,
    ['--import', PRELOAD, BIN, 'serve', '--port', '0', '--data', join(dir, 'data'), '--log-level', 'silent'],
    { env: cleanEnv({ COSKIT_IMPORT_LOG: log }), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c;
      if (/listening on/.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  const modules = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  assert.ok(serverModules(modules).length > 0, 'serve imported @coskit/server');
});

test('the version is the package version; the development key is the server default', async () => {
  const r = await traced(['--version']);
  assert.equal(r.stdout.trim(), PACKAGE.version);
  assert.deepEqual({ ...DEVELOPMENT_KEY }, { ...DEVELOPMENT_CREDENTIAL });
});
