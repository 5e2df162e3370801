/**
 * kill -9 of an uploading process at random points, then a new process resumes: from the
 * checkpoint, from the server's listing when the checkpoint is gone, or afresh when the file
 * changed. The object's CRC-64 must equal the file's, and at most MAXThread × PartSize bytes may be
 * sent twice.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  crcOf,
  MiB,
  readObject,
  startTransferHarness,
  type TransferHarness,
} from './support/transfer-harness.js';

const CHILD = fileURLToPath(new URL('./support/upload-child.js', import.meta.url));
const SIZE = 256 * MiB;
const PART_MIB = 8;
const THREADS = 4;

interface ChildRun {
  killedAt?: number;
  result?: { partsSent: number; bytesSent: number; crc: string };
}

/** Runs the child; with `killAtBytes` it is killed (SIGKILL) once progress passes that many bytes. */
function runChild(
  port: number,
  file: string,
  key: string,
  cpDir: string,
  killAtBytes?: number,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CHILD, String(port), file, key, cpDir, String(PART_MIB), String(THREADS)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const run: ChildRun = {};
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk;
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf('\n');
        if (line.startsWith('progress ') && killAtBytes !== undefined && run.killedAt === undefined) {
          const bytes = Number(line.slice(9));
          if (bytes >= killAtBytes) {
            run.killedAt = bytes;
            child.kill('SIGKILL');
          }
        } else if (line.startsWith('result ')) {
          run.result = JSON.parse(line.slice(7));
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(run);
      else reject(new Error(`upload child exited with ${code}`));
    });
  });
}

describe('crash resume across processes', () => {
  let h: TransferHarness;
  let file: { path: string; bytes: Buffer };
  before(async () => {
    h = await startTransferHarness('resume-1250000000');
    file = await h.file('big.bin', SIZE);
  });
  after(() => h.close());

  test(
    'five kills at random points, each resumed from the checkpoint; re-sent bytes ≤ MAXThread × PartSize',
    { timeout: 240_000 },
    async () => {
      const cpDir = join(h.dir, 'cp-a');
      for (let round = 0; round < 5; round++) {
        const key = `resume/round-${round}`;
        const before = h.proxy.partBytes;
        // Past 2 × MAXThread × PartSize, so some parts are surely acknowledged before the kill.
        const killAt = Math.floor(SIZE * (0.3 + Math.random() * 0.6));
        const first = await runChild(h.proxy.port, file.path, key, cpDir, killAt);
        assert.ok(
          first.killedAt !== undefined && !first.result,
          `round ${round}: the child finished before the kill`,
        );
        const second = await runChild(h.proxy.port, file.path, key, cpDir);
        assert.ok(second.result, `round ${round}: the resumed upload did not finish`);
        assert.ok(second.result.partsSent < SIZE / (PART_MIB * MiB), `round ${round}: nothing was resumed`);
        assert.equal(second.result.crc, crcOf(file.bytes), `round ${round}: CRC-64`);
        const resent = h.proxy.partBytes - before - SIZE;
        assert.ok(resent <= THREADS * PART_MIB * MiB, `round ${round}: ${resent} bytes sent twice`);
      }
      const sample = await readObject(h.client, h.bucket, 'resume/round-4');
      assert.ok(sample.equals(file.bytes));
    },
  );

  test(
    'without the checkpoint file the upload is found by listing and verified by MD5',
    { timeout: 120_000 },
    async () => {
      const cpDir = join(h.dir, 'cp-b');
      const key = 'resume/listing';
      const before = h.proxy.partBytes;
      const first = await runChild(h.proxy.port, file.path, key, cpDir, SIZE / 2);
      assert.ok(first.killedAt !== undefined);
      await rm(cpDir, { recursive: true, force: true });
      const second = await runChild(h.proxy.port, file.path, key, cpDir);
      assert.ok(second.result);
      assert.ok(
        second.result.partsSent < SIZE / (PART_MIB * MiB),
        'parts were reused from the listed upload',
      );
      assert.equal(second.result.crc, crcOf(file.bytes));
      assert.ok(h.proxy.partBytes - before - SIZE <= THREADS * PART_MIB * MiB);
    },
  );

  test(
    'a file modified between runs is uploaded afresh and the stale upload is aborted',
    { timeout: 120_000 },
    async () => {
      const cpDir = join(h.dir, 'cp-c');
      const key = 'resume/modified';
      const { path, bytes } = await h.file('modified.bin', 64 * MiB);
      const first = await runChild(h.proxy.port, path, key, cpDir, 32 * MiB);
      assert.ok(first.killedAt !== undefined);
      const extra = Buffer.from('changed');
      await appendFile(path, extra);
      const second = await runChild(h.proxy.port, path, key, cpDir);
      assert.ok(second.result);
      assert.equal(
        second.result.partsSent,
        Math.ceil((64 * MiB + extra.length) / (PART_MIB * MiB)),
        'every part re-sent',
      );
      assert.equal(second.result.crc, crcOf(Buffer.concat([bytes, extra])));
      const uploads = await h.client.listMultipartUploads({ Bucket: h.bucket, Prefix: key });
      assert.deepEqual(uploads.Upload, [], 'the stale upload was aborted');
    },
  );
});
