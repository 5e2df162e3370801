/** `coskit serve --memory`: a throw-away server for tests that leaves nothing on disk. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CosConfig, CosS3Client } from '@coskit/client';
import { DEVELOPMENT_CREDENTIAL } from '@coskit/server';

const BIN = fileURLToPath(new URL('../../bin/coskit.js', import.meta.url));

test('coskit serve --memory stores objects, writes nothing to its working directory, refuses --data', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'coskit-serve-memory-'));
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--memory', '--log-level', 'silent'], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 15_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c;
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
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
    const Bucket = 'memory-1250000000';
    await client.createBucket({ Bucket });
    await client.putObject({ Bucket, Key: 'hello.txt', Body: Buffer.from('hello') });
    const got = await client.getObject({ Bucket, Key: 'hello.txt' });
    const chunks: Buffer[] = [];
    for await (const c of got.Body) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'hello');
    assert.deepEqual(await readdir(cwd), [], 'a memory server created files (./coskit-data?)');
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exit, 0);
    await rm(cwd, { recursive: true, force: true });
  }
  const both = spawn(process.execPath, [BIN, 'serve', '--memory', '--data', '/tmp/x'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  both.stderr.on('data', (c: Buffer) => {
    err += c;
  });
  assert.equal(await new Promise((resolve) => both.once('exit', resolve)), 2);
  assert.match(err, /give --memory or --data, not both/);
});
