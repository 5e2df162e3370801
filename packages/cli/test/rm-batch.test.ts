/** `coskit rm -r` through Delete Multiple Objects (1000 keys a request) and `rm --version-id`. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliHarness, jsonLines, startHarness, startRequestLog } from './support/harness.js';

let h: CliHarness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

test('rm -r of 1005 keys: two Delete Multiple Objects requests, every key reported, no listener warning', async () => {
  const bucket = await h.bucket();
  const keys = Array.from({ length: 1005 }, (_, i) => `big/${String(i).padStart(4, '0')}.txt`);
  for (let i = 0; i < keys.length; i += 50)
    await Promise.all(
      keys.slice(i, i + 50).map((Key) => h.client.putObject({ Bucket: bucket, Key, Body: Key })),
    );
  await h.client.putObject({ Bucket: bucket, Key: 'kept.txt', Body: 'outside the prefix' });
  const log = await startRequestLog(h.server.port);
  const r = await h.run(['rm', '-r', `cos://${bucket}/big/`, '--json', '--endpoint', log.endpoint]);
  await log.close();
  const seen = log.seen.map((line) => line.replace(/ \/[^?]*/, ' '));
  assert.deepEqual(
    seen.filter((s) => s.startsWith('POST')),
    ['POST ?delete&encoding-type=url', 'POST ?delete&encoding-type=url'],
    'two batch deletes (1000 + 5 keys)',
  );
  assert.equal(seen.filter((s) => s.startsWith('DELETE')).length, 0, 'no single deletes');
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /MaxListenersExceededWarning|Warning/);
  const deleted = jsonLines(r.stdout)
    .filter((e) => e['event'] === 'deleted')
    .map((e) => String(e['target']).slice(`cos://${bucket}/`.length))
    .sort();
  assert.deepEqual(deleted, keys);
  assert.deepEqual(
    (await h.client.listObjects({ Bucket: bucket })).Contents.map((c) => c.Key),
    ['kept.txt'],
  );
});

test('rm --version-id deletes that version ("null": the only one of an unversioned bucket); another is 404 NoSuchVersion', async () => {
  const bucket = await h.bucket();
  await h.client.putObject({ Bucket: bucket, Key: 'doc.txt', Body: 'v1' });
  const missing = await h.run(['rm', `cos://${bucket}/doc.txt`, '--version-id', 'MTg0NDUxNTc1NjIzMTQ1MDAw']);
  assert.equal(missing.code, 1, missing.stderr);
  assert.match(missing.stderr, /404 NoSuchVersion/);
  assert.equal((await h.get(bucket, 'doc.txt')).toString(), 'v1', 'nothing deleted');
  const r = await h.run(['rm', `cos://${bucket}/doc.txt`, '--version-id', 'null']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `deleted: cos://${bucket}/doc.txt (version null)\n`);
  assert.equal((await h.client.listObjects({ Bucket: bucket })).Contents.length, 0);
  for (const [args, message] of [
    [
      ['-r', `cos://${bucket}/`, '--version-id', 'null'],
      /--version-id names one version of one object: drop -r/,
    ],
    [[`cos://${bucket}/doc.txt`, '--version-id', 'a b'], /--version-id must be a version id/],
  ] as const) {
    const bad = await h.run(['rm', ...args]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, message);
  }
});

test('ls --versions lists every version newest first and delete markers; rm --version-id removes one version for good', async () => {
  const bucket = await h.bucket();
  await h.client.putBucketVersioning({ Bucket: bucket, Status: 'Enabled' });
  const v1 = await h.client.putObject({ Bucket: bucket, Key: 'docs/a.txt', Body: 'one' });
  const v2 = await h.client.putObject({ Bucket: bucket, Key: 'docs/a.txt', Body: 'two!' });
  await h.client.putObject({ Bucket: bucket, Key: 'docs/b.txt', Body: 'b' });
  await h.client.deleteObject({ Bucket: bucket, Key: 'docs/b.txt' });
  const id1 = v1.headers['x-cos-version-id'];
  const id2 = v2.headers['x-cos-version-id'];
  assert.ok(id1 && id2 && id1 !== id2, 'the server gives version ids');

  const r = await h.run(['ls', '--versions', `cos://${bucket}/docs/`, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const entries = jsonLines(r.stdout).map((e) => [e['type'], e['key'], e['isLatest'], e['size']]);
  assert.deepEqual(entries, [
    ['version', 'docs/a.txt', true, 4],
    ['version', 'docs/a.txt', false, 3],
    ['delete-marker', 'docs/b.txt', true, undefined],
    ['version', 'docs/b.txt', false, 1],
  ]);
  assert.equal(jsonLines(r.stdout)[1]?.['versionId'], id1);
  const plain = await h.run(['ls', '--versions', `cos://${bucket}/docs/`]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, new RegExp(`\\s4  a\\.txt  ${id2}  \\(latest\\)\\n`));
  assert.match(plain.stdout, /DELETE-MARKER {2}b\.txt {2}\S+ {2}\(latest\)/);

  const rm = await h.run(['rm', `cos://${bucket}/docs/a.txt`, '--version-id', id2]);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal((await h.get(bucket, 'docs/a.txt')).toString(), 'one', 'the older version is current again');
  const after = await h.run(['ls', '--versions', `cos://${bucket}/docs/a.txt`, '--json']);
  assert.deepEqual(
    jsonLines(after.stdout).map((e) => e['versionId']),
    [id1],
  );
  const bad = await h.run(['ls', '--versions']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--versions lists the versions under a bucket or prefix/);
});
