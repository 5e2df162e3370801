/**
 * The verbs people type (issue 13 item 7): du, hash, cp --dryrun, rm of a missing key, ls of
 * nothing, the multipart tables, and what an unknown command suggests — the real `coskit`, checked
 * by output, exit code and what the server stores.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, crcOf, jsonLines, randomFile, startHarness } from './support/harness.js';

let h: CliHarness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

test('du counts objects and bytes under a prefix, per storage class and in total', async () => {
  const bucket = await h.bucket();
  await h.client.putObject({ Bucket: bucket, Key: 'logs/a.txt', Body: Buffer.alloc(1000) });
  await h.client.putObject({
    Bucket: bucket,
    Key: 'logs/b.txt',
    Body: Buffer.alloc(2000),
    StorageClass: 'STANDARD_IA',
  });
  await h.client.putObject({ Bucket: bucket, Key: 'logs/sub/c.txt', Body: Buffer.alloc(500) });
  await h.client.putObject({ Bucket: bucket, Key: 'other.txt', Body: Buffer.alloc(7) });
  const r = await h.run(['du', `cos://${bucket}/logs/`]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^STORAGE CLASS\s+OBJECTS\s+SIZE\s+BYTES$/);
  assert.match(r.stdout, /^STANDARD\s+2\s+1\.46 KiB\s+1500$/m);
  assert.match(r.stdout, /^STANDARD_IA\s+1\s+1\.95 KiB\s+2000$/m);
  assert.match(lines.at(-1)!, /^total\s+3\s+3\.42 KiB\s+3500$/);
  const json = jsonLines((await h.run(['du', `cos://${bucket}`, '--json'])).stdout);
  assert.deepEqual(json.at(-1), { type: 'total', location: `cos://${bucket}/`, objects: 4, bytes: 3507 });
});

test("hash prints a file's CRC-64 and MD5, and an object's CRC-64 and ETag", async () => {
  const path = join(h.dir, 'hash-me.bin');
  const data = await randomFile(path, 3 * 1024 * 1024 + 17);
  const r = await h.run(['hash', path]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^crc64-ecma: ${crcOf(data)}$`, 'm'));
  assert.match(r.stdout, new RegExp(`^md5:        ${createHash('md5').update(data).digest('hex')}$`, 'm'));
  assert.match(
    r.stdout,
    new RegExp(`^md5-base64: ${createHash('md5').update(data).digest('base64').replace(/\+/g, '\\+')}$`, 'm'),
  );
  const only = await h.run(['hash', path, '--type', 'crc64', '--json']);
  assert.deepEqual(jsonLines(only.stdout), [{ type: 'file', path, size: data.length, crc64: crcOf(data) }]);
  const bucket = await h.bucket();
  await h.client.putObject({ Bucket: bucket, Key: 'h.bin', Body: data });
  const remote = await h.run(['hash', `cos://${bucket}/h.bin`]);
  assert.equal(remote.code, 0, remote.stderr);
  assert.match(remote.stdout, new RegExp(`^crc64-ecma: ${crcOf(data)}$`, 'm'));
  assert.match(remote.stdout, new RegExp(`^etag: +"${createHash('md5').update(data).digest('hex')}"$`, 'm'));
  const missing = await h.run(['hash', join(h.dir, 'nope.bin')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.bin" does not exist/);
});

test('cp --dryrun / --dry-run prints what would be copied and stores nothing', async () => {
  const bucket = await h.bucket();
  const dir = join(h.dir, 'dry');
  await randomFile(join(dir, 'a.txt'), 10);
  await randomFile(join(dir, 'sub/b.txt'), 20);
  const one = await h.run(['cp', join(dir, 'a.txt'), `cos://${bucket}/x/`, '--dryrun']);
  assert.equal(one.code, 0, one.stderr);
  assert.match(
    one.stdout,
    new RegExp(`^would upload: .*a\\.txt -> cos://${bucket}/x/a\\.txt \\(10 B\\)$`, 'm'),
  );
  const tree = await h.run(['cp', '-r', dir, `cos://${bucket}/tree/`, '--dry-run']);
  assert.equal(tree.code, 0, tree.stderr);
  assert.equal(tree.stdout.match(/^would upload: /gm)?.length, 2);
  assert.match(tree.stderr, /^dry run: 2 to copy, 0 unchanged; nothing changed$/m);
  assert.equal((await h.client.listObjects({ Bucket: bucket })).Contents.length, 0, 'nothing stored');
  await h.client.putObject({ Bucket: bucket, Key: 'dl/z.txt', Body: 'zzz' });
  const down = await h.run(['cp', `cos://${bucket}/dl/z.txt`, join(h.dir, 'dry-dl', 'z.txt'), '--dryrun']);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /^would download: cos:\/\/.*\/dl\/z\.txt -> .*dry-dl\/z\.txt \(3 B\)$/m);
  await assert.rejects(
    import('node:fs/promises').then((fs) => fs.stat(join(h.dir, 'dry-dl'))),
    { code: 'ENOENT' },
  );
});

test('rm of a key that is not there says so and exits 1; ls of nothing exits 1', async () => {
  const bucket = await h.bucket();
  const rm = await h.run(['rm', `cos://${bucket}/no/such.txt`]);
  assert.equal(rm.code, 1);
  assert.match(rm.stderr, new RegExp(`cos://${bucket}/no/such\\.txt does not exist; nothing deleted`));
  await h.client.putObject({ Bucket: bucket, Key: 'there.txt', Body: 'x' });
  const ok = await h.run(['rm', `cos://${bucket}/there.txt`]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^deleted: /m);
  const ls = await h.run(['ls', `cos://${bucket}/nothing-here/`]);
  assert.equal(ls.code, 1);
  assert.equal(ls.stdout, '');
  assert.match(ls.stderr, /nothing under cos:\/\/.*\/nothing-here\//);
  await h.client.putObject({ Bucket: bucket, Key: 'f/one.txt', Body: 'x' });
  assert.equal((await h.run(['ls', `cos://${bucket}/f/`])).code, 0);
});

test('multipart ls and parts print tables with a header row (not with --json)', async () => {
  const bucket = await h.bucket();
  const up = await h.client.createMultipartUpload({ Bucket: bucket, Key: 'big/file.bin' });
  await h.client.uploadPart({
    Bucket: bucket,
    Key: 'big/file.bin',
    UploadId: up.UploadId,
    PartNumber: 1,
    Body: Buffer.alloc(1024 * 1024),
  });
  const ls = await h.run(['multipart', 'ls', `cos://${bucket}`]);
  assert.equal(ls.code, 0, ls.stderr);
  const rows = ls.stdout.trimEnd().split('\n');
  assert.match(rows[0]!, /^INITIATED \(UTC\)\s+UPLOAD ID\s+KEY$/);
  assert.ok(rows[1]!.includes(up.UploadId) && rows[1]!.endsWith('big/file.bin'));
  assert.equal(rows[0]!.indexOf('KEY'), rows[1]!.indexOf('big/file.bin'), 'the columns line up');
  const parts = await h.run(['multipart', 'parts', `cos://${bucket}/big/file.bin`, up.UploadId]);
  const partRows = parts.stdout.trimEnd().split('\n');
  assert.match(partRows[0]!, /^ PART\s+SIZE\s+ETAG\s+LAST MODIFIED \(UTC\)$/);
  assert.match(partRows[1]!, /^\s+1\s+1048576\s+"[0-9a-f]{32}"\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  const json = await h.run(['multipart', 'ls', `cos://${bucket}`, '--json']);
  assert.ok(
    jsonLines(json.stdout).every((e) => e['type'] === 'upload'),
    'no header row in JSON',
  );
});

test('an unknown command suggests the right one: aliases of other tools, then the nearest name', async () => {
  const cases: [string, RegExp | null][] = [
    ['sl', /did you mean "coskit ls"\?/],
    ['cpp', /did you mean "coskit cp"\?/],
    ['sycn', /did you mean "coskit sync"\?/],
    ['copy', /did you mean "coskit cp"\?/],
    ['signurl', /did you mean "coskit presign"\?/],
    ['lsparts', /did you mean "coskit multipart parts"\?/],
    ['md5sum', /did you mean "coskit hash"\?/],
    ['frobnicate', null],
  ];
  for (const [typed, hint] of cases) {
    const r = await h.run([typed, 'x']);
    assert.equal(r.code, 2, typed);
    assert.match(r.stderr, new RegExp(`unknown command '${typed}'`));
    if (hint) assert.match(r.stderr, hint, typed);
    else assert.doesNotMatch(r.stderr, /did you mean/, typed);
  }
  // `mv` is one letter from `mb` but means something else: never suggested (and once mv exists it runs).
  const mv = await h.run(['mv']);
  assert.equal(mv.code, 2);
  assert.doesNotMatch(mv.stderr, /coskit mb/);
});
