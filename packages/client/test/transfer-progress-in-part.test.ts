/**
 * Progress moves inside a part (issue 9 item 13): with large parts sent slowly (TrafficLimit),
 * `onProgress` is called many times while one part is on the wire, for a part Buffer of uploadFile
 * and a file slice alike, not once per part in a part-sized jump.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MiB, startTransferHarness, type TransferHarness } from './support/transfer-harness.js';

/** 8 MiB/s per request, in bit/s. */
const EIGHT_MIB_PER_S = 8 * MiB * 8;

/** Calls strictly inside the first `bytes` (after 0, before that many), and their time span, ms. */
function inside(calls: { t: number; bytes: number }[], bytes: number) {
  const within = calls.filter((c) => c.bytes > 0 && c.bytes < bytes);
  const span = within.length ? within.at(-1)!.t - within[0]!.t : 0;
  return { count: within.length, span };
}

describe('progress inside a part', () => {
  let h: TransferHarness;
  before(async () => {
    h = await startTransferHarness('progress-part-1250000000');
  });
  after(() => h.close());

  // Loopback kernel buffers take the first several MiB of a request at once, so parts are 16 MiB:
  // the rest of each goes at the paced rate, and progress must follow it.
  test('uploadFile with a 16 MiB part at 8 MiB/s: progress moves while the part is sent', async () => {
    const { path } = await h.file('two-parts', 17 * MiB);
    const calls: { t: number; bytes: number }[] = [];
    const t0 = performance.now();
    await h.client.uploadFile({
      Bucket: h.bucket,
      Key: 'two-parts',
      LocalFilePath: path,
      PartSize: 16,
      MAXThread: 1,
      MultipartThreshold: MiB,
      TrafficLimit: EIGHT_MIB_PER_S,
      ProgressInterval: 50,
      onProgress: (bytes) => calls.push({ t: performance.now() - t0, bytes }),
      CheckpointDir: join(h.dir, 'cp'),
    });
    const first = inside(calls, 16 * MiB);
    assert.ok(
      first.count >= 4,
      `${first.count} progress calls inside the first part: ${JSON.stringify(calls)}`,
    );
    assert.ok(first.span >= 150, `they span ${Math.round(first.span)} ms of the ~2 s the part takes`);
  });

  test('a file slice body (putObjectFromLocalFile; streams take the same path) reports as the socket takes it', async () => {
    const { path } = await h.file('slow-put', 16 * MiB);
    let sent = 0;
    const calls: { t: number; bytes: number }[] = [];
    const t0 = performance.now();
    await h.client.putObjectFromLocalFile({
      Bucket: h.bucket,
      Key: 'slow-slice',
      LocalFilePath: path,
      TrafficLimit: EIGHT_MIB_PER_S,
      onUploadProgress: (n: number) => {
        sent += n;
        calls.push({ t: performance.now() - t0, bytes: sent });
      },
    });
    assert.equal(sent, 16 * MiB);
    const mid = inside(calls, 16 * MiB);
    assert.ok(mid.count >= 8, `${mid.count} calls before the end`);
    assert.ok(mid.span >= 150, `spread over ${Math.round(mid.span)} ms`);
  });
});
