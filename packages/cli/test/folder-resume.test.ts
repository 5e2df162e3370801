/**
 * Folder resume (issue 13 item 4): `coskit cp -r` killed midway, then the same command — the files
 * the first run finished are not sent again (the SDK's folder journal) and the partly sent large
 * file resumes from its checkpoint. The server's own request log counts what the second run sent.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { CosConfig, CosS3Client } from '@coskit/client';
import { DEVELOPMENT_CREDENTIAL, type RunningServer, startServer } from '@coskit/server';
import { crcOf, jsonLines, randomFile, startCli } from './support/harness.js';

const MiB = 1024 * 1024;
interface Logged {
  method: string;
  op: string;
  key?: string;
  bytesIn: number;
  status: number;
  /** When the server finished (pino's epoch ms) and how long it took: `time - ms` is its start. */
  time: number;
  ms: number;
}

let dir: string;
let server: RunningServer;
let client: CosS3Client;
const requests: Logged[] = [];
let env: Record<string, string>;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coskit-folder-resume-'));
  let pending = '';
  const log = new Writable({
    write(chunk, _e, cb) {
      pending += chunk.toString();
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const r = JSON.parse(pending.slice(0, nl)) as Record<string, unknown>;
        pending = pending.slice(nl + 1);
        if (r['msg'] === 'request') requests.push(r as unknown as Logged);
      }
      cb();
    },
  });
  server = await startServer({ port: 0, dataDir: join(dir, 'data'), logLevel: 'info', logDestination: log });
  client = new CosS3Client(
    new CosConfig({
      Region: 'ap-guangzhou',
      SecretId: DEVELOPMENT_CREDENTIAL.secretId,
      SecretKey: DEVELOPMENT_CREDENTIAL.secretKey,
      Scheme: 'http',
      IP: '127.0.0.1',
      Port: server.port,
    }),
  );
  await mkdir(join(dir, 'home'), { recursive: true });
  env = {
    COSKIT_CONFIG: join(dir, 'coskit', 'config.json'),
    HOME: join(dir, 'home'),
    COSKIT_ENDPOINT: `http://127.0.0.1:${server.port}`,
  };
});
after(async () => {
  client.destroy();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test('cp -r killed midway, then the same command: finished files are not sent again, the big file resumes', async () => {
  const bucket = 'resume-1250000000';
  await client.createBucket({ Bucket: bucket });
  const folder = join(dir, 'photos');
  const small = new Map<string, Buffer>();
  for (let i = 0; i < 30; i++) {
    const name = `img-${String(i).padStart(2, '0')}.jpg`;
    small.set(name, await randomFile(join(folder, name), 64 * 1024 + i));
  }
  const big = await randomFile(join(folder, 'zz-video.mp4'), 24 * MiB);
  // Files one at a time, each request paced: the kill lands with some files done, the video partly sent.
  const args = [
    'cp',
    '-r',
    folder,
    `cos://${bucket}/p/`,
    '--files',
    '2',
    '--part-size',
    '1',
    '--threads',
    '2',
    '--rate-limit',
    '4M',
    '--json',
  ];
  const first = startCli(args, env);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no progress: ${first.out()} ${first.err()}`)), 60_000);
    const check = () => {
      const events = jsonLines(first.out());
      const bigProgress = events.find(
        (e) =>
          e['event'] === 'progress' &&
          String(e['source']).endsWith('zz-video.mp4') &&
          Number(e['bytes']) >= 6 * MiB,
      );
      if (bigProgress) {
        clearTimeout(timer);
        first.child.stdout?.off('data', check);
        resolve();
      }
    };
    first.child.stdout?.on('data', check);
  });
  // A request of the first run cut by the kill is logged when the server notices (maybe after the
  // second run started): the second run's requests are those that started after the kill.
  const killedAt = Date.now();
  first.child.kill('SIGKILL');
  await first.done;
  const finishedFirst = jsonLines(first.out()).filter(
    (e) => e['event'] === 'file' && e['status'] === 'uploaded',
  );
  assert.ok(finishedFirst.length >= 20, `the first run finished ${finishedFirst.length} files`);

  const second = await startCli(args, env).done;
  assert.equal(second.code, 0, second.stderr);
  const sent = requests.filter((r) => r.time - r.ms > killedAt);
  const events = jsonLines(second.stdout);
  const message = events.find((e) => e['event'] === 'message' && String(e['text']).startsWith('resuming: '));
  assert.match(
    String(message?.['text']),
    new RegExp(
      `^resuming: ${finishedFirst.length} of 31 file\\(s\\) .* already uploaded by an interrupted run$`,
    ),
  );
  const puts = sent.filter((r) => r.method === 'PUT');
  // No small file the first run finished is sent again: each PUT of a small file is one not finished.
  const smallPuts = puts.filter((r) => r.key?.startsWith('p/img-'));
  assert.equal(
    smallPuts.length,
    30 -
      (finishedFirst.length -
        (finishedFirst.some((e) => String(e['source']).endsWith('zz-video.mp4')) ? 1 : 0)),
  );
  // The video: only the parts the first run had not finished (its checkpoint), not all 24.
  const videoParts = puts.filter((r) => r.key === 'p/zz-video.mp4');
  const resumeEvent = events.find((e) => e['event'] === 'resume');
  const reused = Number(resumeEvent?.['reused']);
  assert.ok(reused >= 4 * MiB, JSON.stringify(resumeEvent));
  assert.equal(videoParts.length * MiB + reused, 24 * MiB, 'only the parts not reused are sent');
  const summary = events.find((e) => e['event'] === 'summary');
  assert.equal(summary?.['skipped'], finishedFirst.length);

  for (const [name, data] of small) {
    const head = await client.headObject({ Bucket: bucket, Key: `p/${name}` });
    assert.equal(head['x-cos-hash-crc64ecma'], crcOf(data), name);
  }
  const head = await client.headObject({ Bucket: bucket, Key: 'p/zz-video.mp4' });
  assert.equal(head['x-cos-hash-crc64ecma'], crcOf(big));

  // The journal is gone after a complete run: the same command now uploads everything again, as cp does.
  const before3 = requests.length;
  const third = await startCli(['cp', '-r', folder, `cos://${bucket}/p/`, '--json'], env).done;
  assert.equal(third.code, 0, third.stderr);
  assert.ok(
    requests.slice(before3).filter((r) => r.method === 'PUT' && r.key?.startsWith('p/img-')).length === 30,
  );
});
