/**
 * Exit codes of what cannot start: bad arguments exit 2 before any request (a counting listener
 * proves none was made), an unreachable endpoint or refused keys exit 3; every --help reads.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, startHarness } from './support/harness.js';

let h: CliHarness;
let listener: Server;
let connections = 0;
let trap: string;

before(async () => {
  h = await startHarness();
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  trap = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await writeFile(join(h.dir, 'file.txt'), 'some bytes');
});
after(async () => {
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  await h.close();
});

const USAGE: [string, string[], RegExp][] = [
  [
    'bad cos:// bucket',
    ['cp', '@file', 'cos://Bad_Bucket/key'],
    /Bucket "Bad_Bucket" must look like "examplebucket-1250000000"/,
  ],
  [
    'not a cos:// URL',
    ['ls', 's3://bucket-1250000000/'],
    /is not a COS location; write cos:\/\/<bucket>-<appid>\/<key>/,
  ],
  ['two local paths', ['cp', '@file', '/tmp/x'], /one of SRC and DST must be a cos:\/\/ location/],
  [
    'bad --part-size',
    ['cp', '@file', 'cos://b-1250000000/k', '--part-size', '1.5M'],
    /--part-size must be a whole number of MiB from 1 to 5120.*got "1\.5M"/,
  ],
  ['zero --part-size', ['cp', '@file', 'cos://b-1250000000/k', '--part-size', '0'], /--part-size must be/],
  [
    '--rate-limit too high',
    ['cp', '@file', 'cos://b-1250000000/k', '--rate-limit', '200M'],
    /--rate-limit must be 819200–838860800 bit\/s, or 100K–100M bytes per second.*"200M" = 1677721600 bit\/s/,
  ],
  [
    '--rate-limit too low',
    ['cp', '@file', 'cos://b-1250000000/k', '--rate-limit', '1000'],
    /--rate-limit must be .*"1000" = 1000 bit\/s/,
  ],
  [
    'bad --threads',
    ['cp', '@file', 'cos://b-1250000000/k', '--threads', '0'],
    /--threads must be an integer from 1 to 256; got "0"/,
  ],
  ['bad --meta', ['cp', '@file', 'cos://b-1250000000/k', '--meta', 'novalue'], /--meta must be key=value/],
  [
    '--meta naming a header that is neither standard nor x-cos-meta-*',
    ['cp', '@file', 'cos://b-1250000000/k', '--meta', 'Cache-Control:no-cache#X-Foo:bar'],
    /--meta "X-Foo" is neither a header an upload sets \(Cache-Control, .*\) nor user metadata x-cos-meta-\*/,
  ],
  [
    '--meta x-cos-storage-class',
    ['cp', '@file', 'cos://b-1250000000/k', '--meta', 'x-cos-storage-class=STANDARD'],
    /nor user metadata x-cos-meta-\*; use --storage-class/,
  ],
  [
    '--meta and --cache-control disagree',
    [
      'cp',
      '@file',
      'cos://b-1250000000/k',
      '--meta',
      'Cache-Control:no-cache',
      '--cache-control',
      'max-age=1',
    ],
    /--meta Cache-Control and --cache-control set the same header to different values/,
  ],
  [
    'bad --expires date',
    ['cp', '@file', 'cos://b-1250000000/k', '--expires', 'someday'],
    /--expires must be a date/,
  ],
  [
    'append with a header it cannot set',
    ['append', '@file', 'cos://b-1250000000/k', '--meta', 'Cache-Control:no-cache'],
    /append sets only Content-Type and x-cos-meta-\*/,
  ],
  [
    'bad --storage-class',
    ['cp', '@file', 'cos://b-1250000000/k', '--storage-class', 'GLACIER'],
    /--storage-class must be one of STANDARD/,
  ],
  ['missing source', ['cp', '/no/such/file', 'cos://b-1250000000/k'], /"\/no\/such\/file" does not exist/],
  ['folder without -r', ['cp', '@dir', 'cos://b-1250000000/k/'], /is a folder: add -r/],
  ['filters without -r', ['cp', '@file', 'cos://b-1250000000/k', '--include', '*.txt'], /add -r/],
  ['download without key', ['cp', 'cos://b-1250000000/dir/', '/tmp/x'], /names no object.*add -r/],
  ['bad --endpoint', ['ls', '--endpoint', 'ftp://host'], /--endpoint must look like http:\/\/host:port/],
  ['bad --region', ['ls', '--region', 'Guangzhou!'], /--region must be a COS region name/],
  ['half a key', ['ls', '--secret-id', 'AKIDX'], /a SecretId needs its SecretKey/],
  [
    'bad --expires',
    ['presign', 'cos://b-1250000000/k', '--expires', 'soon'],
    /--expires must be a duration such as 90s/,
  ],
  [
    'bad --older-than',
    ['multipart', 'abort', 'cos://b-1250000000', '--older-than', '3 days'],
    /--older-than must be a duration/,
  ],
  ['abort without target', ['multipart', 'abort', 'cos://b-1250000000'], /say which uploads to abort/],
  ['unknown option', ['ls', '--nope'], /unknown option '--nope'/],
  ['missing argument', ['cp', '@file'], /missing required argument 'dst'/],
  ['unknown command', ['upload', 'x'], /unknown command 'upload'/],
];

test('every bad argument exits 2, says what to change, and sends no request', async () => {
  await Promise.all(
    USAGE.map(async ([name, args, message]) => {
      const argv = args.map((a) => (a === '@file' ? join(h.dir, 'file.txt') : a === '@dir' ? h.dir : a));
      const r = await h.run(argv, { env: { COSKIT_ENDPOINT: trap } });
      assert.equal(r.code, 2, `${name}: exit ${r.code}\n${r.stderr}`);
      assert.match(r.stderr, message, name);
    }),
  );
  assert.equal(connections, 0, 'no connection was made');
});

test('an unreachable endpoint exits 3 and says which endpoint', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const address = closed.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const [cp, ls] = await Promise.all([
    h.run(['cp', join(h.dir, 'file.txt'), 'cos://b-1250000000/k', '--endpoint', endpoint]),
    h.run(['ls', 'cos://b-1250000000', '--endpoint', endpoint, '--json']),
  ]);
  for (const r of [cp, ls]) {
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`coskit: cannot reach ${endpoint} \\(ECONNREFUSED\\): check --endpoint`),
    );
  }
});

test('refused credentials exit 3; a folder upload stops at the first refusal', async () => {
  const bucket = await h.bucket();
  const r = await h.run([
    'cp',
    '-r',
    h.dir,
    `cos://${bucket}/x/`,
    '--secret-id',
    'AKIDWRONG',
    '--secret-key',
    'wrong',
  ]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /coskit: access denied \(403 \w+.*check the SecretId\/SecretKey/);
  assert.doesNotMatch(r.stdout, /^uploaded:/m);
  assert.equal((await h.client.listObjects({ Bucket: bucket })).Contents.length, 0);
});

test('coskit --help and each command --help read well (summary, options, examples, exit codes)', async () => {
  const top = await h.run(['--help']);
  assert.equal(top.code, 0);
  for (const name of [
    'cp',
    'mv',
    'sync',
    'append',
    'cat',
    'ls',
    'stat',
    'du',
    'hash',
    'rm',
    'mb',
    'rb',
    'multipart',
    'presign',
    'config',
    'serve',
  ]) {
    assert.match(top.stdout, new RegExp(`^  ${name}\\b`, 'm'), name);
  }
  assert.match(top.stdout, /Exit codes:/);
  const commands = [
    ['cp'],
    ['mv'],
    ['sync'],
    ['append'],
    ['cat'],
    ['ls'],
    ['stat'],
    ['du'],
    ['hash'],
    ['rm'],
    ['mb'],
    ['rb'],
    ['multipart', 'ls'],
    ['multipart', 'parts'],
    ['multipart', 'abort'],
    ['presign'],
    ['config', 'set'],
    ['config', 'show'],
    ['config', 'init'],
    ['config', 'delete'],
    ['serve'],
  ];
  await Promise.all(
    commands.map(async (cmd) => {
      const r = await h.run([...cmd, '--help']);
      assert.equal(r.code, 0, cmd.join(' '));
      assert.match(r.stdout, /^Usage: coskit /m, cmd.join(' '));
      assert.match(r.stdout, /Examples?:/, cmd.join(' '));
      for (const line of r.stdout.split('\n')) {
        assert.ok(
          [...line].length <= 80,
          `${cmd.join(' ')}: a help line of ${line.length} characters: ${line}`,
        );
      }
    }),
  );
  const version = await h.run(['--version']);
  assert.equal(version.stdout.trim(), '0.1.0');
});
