/** `--log-file` (issue 13 item 10): one JSON line per request, with method, key, status, request id, time, attempts. */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, jsonLines, startHarness } from './support/harness.js';

let h: CliHarness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

test('--log-file appends a line per request: method, key, status, request id, ms, attempts; errors too', async () => {
  const bucket = await h.bucket();
  const log = join(h.dir, 'requests.log');
  const file = join(h.dir, 'logged.txt');
  await writeFile(file, 'logged bytes');
  const up = await h.run(['cp', file, `cos://${bucket}/a/logged.txt`, '--log-file', log]);
  assert.equal(up.code, 0, up.stderr);
  const rm = await h.run(['rm', `cos://${bucket}/a/missing.txt`, '--log-file', log]);
  assert.equal(rm.code, 1);
  const lines = jsonLines(await readFile(log, 'utf8'));
  const put = lines.find((l) => l['method'] === 'PUT' && l['key'] === 'a/logged.txt');
  assert.ok(put, JSON.stringify(lines));
  assert.equal(put['bucket'], bucket);
  assert.equal(put['status'], 200);
  assert.equal(put['attempts'], 1);
  assert.match(String(put['requestId']), /\S+/);
  assert.equal(typeof put['ms'], 'number');
  assert.ok(!Number.isNaN(Date.parse(String(put['time']))));
  const head = await h.client.headObject({ Bucket: bucket, Key: 'a/logged.txt' });
  assert.ok(head);
  const missing = lines.find((l) => l['method'] === 'HEAD' && l['key'] === 'a/missing.txt');
  assert.equal(missing?.['status'], 404);
  assert.match(String(missing?.['error']), /^NoSuch(Key|Resource)$/);
  const bad = await h.run(['ls', '--log-file', join(h.dir, 'no', 'such', 'dir', 'x.log')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--log-file ".*x\.log" cannot be written \(ENOENT\)/);
});
