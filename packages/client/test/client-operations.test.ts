/** Every method of CosS3Client against coskit serve: parameters, response shapes and odd keys. */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { get as httpGet, request as httpRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { CosServiceError } from '../src/index.js';
import {
  bucketName,
  type ClientHarness,
  crcOf,
  md5Base64,
  md5Hex,
  readAll,
  rejection,
  startClientHarness,
} from './support/client-harness.js';

const MiB = 1024 * 1024;
const ODD_KEYS = [
  'a b+c',
  '文件夹/x',
  '%',
  '?',
  '#',
  "'()*!",
  '~',
  'x%20y', // a literal percent sequence must not be decoded twice
  'semi;colon&amp=eq',
  'a/./b', // dot segments must reach the server as is, not be normalised away
  '../up',
  ' spaces around ',
  // 850 UTF-8 bytes: the longest key COS allows.
  `${'文'.repeat(283)}x`,
];

/** A readable that yields `chunks` (so it has no length the client could know). */
const streamOf = (...chunks: (string | Buffer)[]) => Readable.from(chunks.map((c) => Buffer.from(c)));

/** GET/PUT with plain node:http to 127.0.0.1:`port`, sending `host` as the Host header. */
function plainRequest(
  method: string,
  port: number,
  host: string,
  path: string,
  body?: Buffer,
): Promise<{ status: number; body: Buffer; headers: IncomingMessage['headers'] }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { host } }, (res) => {
      readAll(res).then(
        (b) => resolve({ status: res.statusCode ?? 0, body: b, headers: res.headers }),
        reject,
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('CosS3Client operations', () => {
  let h: ClientHarness;
  const Bucket = bucketName('ops');
  const host = `${Bucket}.cos.ap-guangzhou.myqcloud.com`;
  before(async () => {
    h = await startClientHarness();
    await h.client.createBucket({ Bucket });
  });
  after(() => h.close());

  async function content(Key: string, bucket = Bucket): Promise<Buffer> {
    return readAll((await h.client.getObject({ Bucket: bucket, Key })).Body);
  }

  test('putObject: Buffer, Uint8Array view, string, empty body, Readable with and without ContentLength, file stream', async () => {
    const backing = Buffer.from('0123456789abcdef');
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 3, 5); // '34567'
    const file = join(h.dir, 'put-source.txt');
    await writeFile(file, 'from a file stream\n');
    const cases: [string, Parameters<typeof h.client.putObject>[0]['Body'], string, string | undefined][] = [
      ['buffer', Buffer.from('buffer body'), 'buffer body', undefined],
      ['uint8array', view, '34567', undefined],
      ['string', 'string body 字', 'string body 字', undefined],
      ['empty', '', '', undefined],
      ['stream-chunked', streamOf('str', 'eam'), 'stream', undefined],
      ['stream-length', streamOf('len', 'gth'), 'length', '6'],
      ['file-stream', createReadStream(file), 'from a file stream\n', '19'],
    ];
    for (const [name, Body, expected, ContentLength] of cases) {
      h.proxy.reset();
      const r = await h.proxied.putObject({
        Bucket,
        Key: `put/${name}`,
        Body,
        ...(ContentLength ? { ContentLength } : {}),
      });
      assert.equal(r.ETag, `"${md5Hex(expected)}"`, name);
      assert.equal(r['x-cos-hash-crc64ecma'], crcOf(expected), name);
      assert.equal(r.statusCode, 200, name);
      assert.equal(typeof r['x-cos-request-id'], 'string');
      assert.ok(r['x-cos-request-id'].length > 0);
      assert.equal((await content(`put/${name}`)).toString(), expected, name);
      const sent = h.proxy.requests[0]!;
      if (name === 'stream-chunked') {
        assert.equal(sent.headers['transfer-encoding'], 'chunked');
        assert.equal(sent.headers['content-length'], undefined);
      } else {
        assert.equal(sent.headers['content-length'], String(Buffer.byteLength(expected)), name);
      }
    }
  });

  test("the seed's directory sample: Key ending in / with an empty body", async () => {
    const r = await h.client.putObject({ Bucket, Key: 'path/to/create/dir/', Body: Buffer.alloc(0) });
    assert.equal(r.ETag, `"${md5Hex('')}"`);
    const head = await h.client.headObject({ Bucket, Key: 'path/to/create/dir/' });
    assert.equal(head['Content-Length'], 0);
  });

  test('putObjectFromLocalFile streams the file with its length', async () => {
    const bytes = Buffer.alloc(300_000, 7);
    bytes.write('head');
    const path = join(h.dir, 'local.bin');
    await writeFile(path, bytes);
    h.proxy.reset();
    const r = await h.proxied.putObjectFromLocalFile({
      Bucket,
      Key: 'local/file.bin',
      LocalFilePath: path,
      ContentType: 'application/x-local',
    });
    assert.equal(r.ETag, `"${md5Hex(bytes)}"`);
    assert.equal(h.proxy.requests[0]!.headers['content-length'], String(bytes.length));
    assert.ok((await content('local/file.bin')).equals(bytes));
    const head = await h.client.headObject({ Bucket, Key: 'local/file.bin' });
    assert.equal(head['Content-Type'], 'application/x-local');
  });

  test('every header parameter of the seed reaches the object', async () => {
    const body = Buffer.from('all parameters');
    h.proxy.reset();
    await h.proxied.putObject({
      Bucket,
      Key: 'all-params',
      Body: body,
      EnableMD5: true,
      ACL: 'public-read',
      GrantFullControl: 'id="100000000001"',
      GrantRead: 'id="100000000002"',
      StorageClass: 'STANDARD_IA',
      Expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
      CacheControl: 'max-age=60',
      ContentType: 'text/plain; charset=utf-8',
      ContentDisposition: 'attachment; filename="x.txt"',
      ContentEncoding: 'identity',
      ContentLanguage: 'zh-CN',
      ContentLength: String(body.length),
      Metadata: { 'x-cos-meta-key1': 'value1', 'x-cos-meta-key2': 'value2' },
      TrafficLimit: '1048576',
    });
    const sent = h.proxy.requests[0]!.headers;
    // Not answered by HEAD (COS keeps them in the ACL), so checked on the wire.
    assert.equal(sent['x-cos-grant-full-control'], 'id="100000000001"');
    assert.equal(sent['x-cos-grant-read'], 'id="100000000002"');
    assert.equal(sent['x-cos-traffic-limit'], '1048576');
    assert.equal(sent['content-md5'], md5Base64(body), 'EnableMD5 sends Content-MD5');
    const head = await h.client.headObject({ Bucket, Key: 'all-params' });
    assert.equal(head['x-cos-storage-class'], 'STANDARD_IA');
    assert.equal(head['Content-Type'], 'text/plain; charset=utf-8');
    assert.equal(head['Content-Length'], body.length);
    assert.equal(head.headers['expires'], 'Wed, 21 Oct 2037 07:28:00 GMT');
    assert.equal(head.headers['cache-control'], 'max-age=60');
    assert.equal(head.headers['content-disposition'], 'attachment; filename="x.txt"');
    assert.equal(head.headers['content-encoding'], 'identity');
    assert.equal(head.headers['content-language'], 'zh-CN');
    assert.deepEqual(head.Metadata, { 'x-cos-meta-key1': 'value1', 'x-cos-meta-key2': 'value2' });
    // ACL public-read: an anonymous GET is allowed; a private object's is not.
    const anonymous = await plainRequest('GET', h.server.port, host, '/all-params');
    assert.equal(anonymous.status, 200);
    assert.equal(anonymous.body.toString(), 'all parameters');
    await h.client.putObject({ Bucket, Key: 'private', Body: 'x', ACL: 'private' });
    assert.equal((await plainRequest('GET', h.server.port, host, '/private')).status, 403);
  });

  test('ContentMD5 is sent as given: the right one is accepted, a wrong one is BadDigest', async () => {
    const body = Buffer.from('md5 checked');
    await h.client.putObject({ Bucket, Key: 'md5/ok', Body: body, ContentMD5: md5Base64(body) });
    const err = await rejection(
      h.client.putObject({ Bucket, Key: 'md5/bad', Body: body, ContentMD5: md5Base64('other') }),
    );
    assert.ok(err instanceof CosServiceError);
    assert.equal(err.errorCode, 'BadDigest');
    assert.equal(err.statusCode, 400);
    // A stream Body with ContentMD5 (EnableMD5 cannot hash streams) is checked by the server too.
    const bad = await rejection(
      h.client.putObject({
        Bucket,
        Key: 'md5/stream',
        Body: streamOf('md5 checked'),
        ContentLength: body.length,
        ContentMD5: md5Base64('other'),
      }),
    );
    assert.equal((bad as CosServiceError).errorCode, 'BadDigest');
  });

  test('appendObject: Buffer then stream Data, positions as numbers, appendable object', async () => {
    const Key = 'append/log';
    const first = await h.client.appendObject({ Bucket, Key, Position: 0, Data: Buffer.from('hello ') });
    assert.equal(first['x-cos-next-append-position'], 6);
    assert.equal(typeof first['x-cos-next-append-position'], 'number');
    assert.equal(first['x-cos-hash-crc64ecma'], crcOf('hello '));
    const second = await h.client.appendObject({
      Bucket,
      Key,
      Position: first['x-cos-next-append-position'],
      Data: streamOf('wor', 'ld'),
      ContentLength: 5,
    });
    assert.equal(second['x-cos-next-append-position'], 11);
    const third = await h.client.appendObject({ Bucket, Key, Position: 11, Data: '!' });
    assert.equal(third['x-cos-next-append-position'], 12);
    assert.equal((await content(Key)).toString(), 'hello world!');
    const head = await h.client.headObject({ Bucket, Key });
    assert.equal(head['x-cos-object-type'], 'appendable');
    assert.equal(head['Content-Length'], 12);
  });

  test('appendObject errors: AppendPositionErr and ObjectNotAppendable', async () => {
    await h.client.appendObject({ Bucket, Key: 'append/pos', Position: 0, Data: 'abc' });
    const pos = await rejection(h.client.appendObject({ Bucket, Key: 'append/pos', Position: 1, Data: 'x' }));
    assert.ok(pos instanceof CosServiceError);
    assert.equal(pos.statusCode, 409);
    assert.equal(pos.errorCode, 'AppendPositionErr');
    await h.client.putObject({ Bucket, Key: 'append/normal', Body: 'normal' });
    const na = await rejection(
      h.client.appendObject({ Bucket, Key: 'append/normal', Position: 6, Data: 'x' }),
    );
    assert.ok(na instanceof CosServiceError);
    assert.equal(na.statusCode, 409);
    assert.equal(na.errorCode, 'ObjectNotAppendable');
  });

  test('headObject: typed fields', async () => {
    await h.client.putObject({
      Bucket,
      Key: 'head/me',
      Body: 'twelve bytes',
      Metadata: { 'x-cos-meta-a': '1' },
    });
    const r = await h.client.headObject({ Bucket, Key: 'head/me' });
    assert.equal(r.statusCode, 200);
    assert.equal(r['Content-Length'], 12);
    assert.equal(r.ETag, `"${md5Hex('twelve bytes')}"`);
    assert.equal(r['x-cos-hash-crc64ecma'], crcOf('twelve bytes'));
    assert.ok(!Number.isNaN(Date.parse(r['Last-Modified'] ?? '')));
    assert.equal(r['Content-Type'], 'application/octet-stream');
    assert.equal(r['x-cos-object-type'], undefined);
    assert.deepEqual(r.Metadata, { 'x-cos-meta-a': '1' });
  });

  test('getObject: Range, conditions, response-* overrides, TrafficLimit', async () => {
    const Key = 'get/range';
    const put = await h.client.putObject({ Bucket, Key, Body: '0123456789' });
    const range = await h.client.getObject({ Bucket, Key, Range: 'bytes=2-5' });
    assert.equal(range.statusCode, 206);
    assert.equal(range['Content-Range'], 'bytes 2-5/10');
    assert.equal(range['Content-Length'], 4);
    assert.equal((await readAll(range.Body)).toString(), '2345');
    const suffix = await h.client.getObject({ Bucket, Key, Range: 'bytes=-3' });
    assert.equal((await readAll(suffix.Body)).toString(), '789');

    const matched = await h.client.getObject({ Bucket, Key, IfMatch: put.ETag });
    assert.equal((await readAll(matched.Body)).toString(), '0123456789');
    const e412 = await rejection(h.client.getObject({ Bucket, Key, IfMatch: '"0000"' }));
    assert.equal((e412 as CosServiceError).statusCode, 412);
    assert.equal((e412 as CosServiceError).errorCode, 'PreconditionFailed');
    const e304 = await rejection(h.client.getObject({ Bucket, Key, IfNoneMatch: put.ETag }));
    assert.equal((e304 as CosServiceError).statusCode, 304);
    assert.equal((e304 as CosServiceError).errorCode, 'NotModified');
    const future = new Date(Date.now() + 86_400_000).toUTCString();
    const past = new Date(Date.now() - 86_400_000).toUTCString();
    assert.equal(
      ((await rejection(h.client.getObject({ Bucket, Key, IfModifiedSince: future }))) as CosServiceError)
        .statusCode,
      304,
    );
    const modified = await h.client.getObject({ Bucket, Key, IfModifiedSince: past });
    modified.Body.resume();
    assert.equal(
      ((await rejection(h.client.getObject({ Bucket, Key, IfUnmodifiedSince: past }))) as CosServiceError)
        .statusCode,
      412,
    );
    const unmodified = await h.client.getObject({ Bucket, Key, IfUnmodifiedSince: future });
    unmodified.Body.resume();

    const overridden = await h.client.getObject({
      Bucket,
      Key,
      ResponseContentType: 'text/x-override',
      ResponseContentLanguage: 'fr',
      ResponseExpires: 'Thu, 01 Jan 2037 00:00:00 GMT',
      ResponseCacheControl: 'no-cache',
      ResponseContentDisposition: 'attachment; filename="o.txt"',
      ResponseContentEncoding: 'identity',
    });
    overridden.Body.resume();
    assert.equal(overridden['Content-Type'], 'text/x-override');
    assert.equal(overridden.headers['content-language'], 'fr');
    assert.equal(overridden.headers['expires'], 'Thu, 01 Jan 2037 00:00:00 GMT');
    assert.equal(overridden.headers['cache-control'], 'no-cache');
    assert.equal(overridden.headers['content-disposition'], 'attachment; filename="o.txt"');
    assert.equal(overridden.headers['content-encoding'], 'identity');

    h.proxy.reset();
    const limited = await h.proxied.getObject({ Bucket, Key, TrafficLimit: 8_388_608 });
    assert.equal((await readAll(limited.Body)).toString(), '0123456789');
    assert.equal(h.proxy.requests[0]!.headers['x-cos-traffic-limit'], '8388608');
  });

  test('getObjectToFile writes the object to disk', async () => {
    const bytes = Buffer.alloc(200_000, 3);
    await h.client.putObject({ Bucket, Key: 'get/file', Body: bytes });
    const path = join(h.dir, 'downloaded.bin');
    const r = await h.client.getObjectToFile({ Bucket, Key: 'get/file', LocalFilePath: path });
    assert.equal(r['Content-Length'], bytes.length);
    assert.ok((await readFile(path)).equals(bytes));
  });

  test('deleteObject removes the object; deleting a missing key succeeds', async () => {
    await h.client.putObject({ Bucket, Key: 'del/me', Body: 'x' });
    const r = await h.client.deleteObject({ Bucket, Key: 'del/me' });
    assert.equal(r.statusCode, 204);
    const err = await rejection(h.client.headObject({ Bucket, Key: 'del/me' }));
    assert.equal((err as CosServiceError).statusCode, 404);
    assert.equal((await h.client.deleteObject({ Bucket, Key: 'del/never-existed' })).statusCode, 204);
  });

  test('createBucket / headBucket / listBuckets / deleteBucket', async () => {
    const name = bucketName('bkt');
    await h.client.createBucket({ Bucket: name, ACL: 'private' });
    const head = await h.client.headBucket({ Bucket: name });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers['x-cos-bucket-region'], 'ap-guangzhou');
    const list = await h.client.listBuckets();
    assert.ok(Array.isArray(list.Buckets));
    const mine = list.Buckets.find((b) => b.Name === name);
    assert.ok(mine, 'the new bucket is listed');
    assert.equal(mine.Location, 'ap-guangzhou');
    assert.ok(!Number.isNaN(Date.parse(mine.CreationDate)));
    assert.equal(typeof list.Owner.ID, 'string');
    assert.equal((await h.client.deleteBucket({ Bucket: name })).statusCode, 204);
    const gone = await rejection(h.client.headBucket({ Bucket: name }));
    assert.equal((gone as CosServiceError).statusCode, 404);
    assert.ok(!(await h.client.listBuckets()).Buckets.some((b) => b.Name === name));
  });

  test('listBuckets on a server with one bucket is a one-element array', async () => {
    const solo = await startClientHarness();
    try {
      assert.deepEqual((await solo.client.listBuckets()).Buckets, []);
      await solo.client.createBucket({ Bucket: 'solo-1250000000' });
      const list = await solo.client.listBuckets();
      assert.equal(list.Buckets.length, 1);
      assert.equal(list.Buckets[0]!.Name, 'solo-1250000000');
    } finally {
      await solo.close();
    }
  });

  test('listObjects: empty and one-element listings are arrays, numbers and booleans typed', async () => {
    const L = bucketName('list');
    await h.client.createBucket({ Bucket: L });
    const empty = await h.client.listObjects({ Bucket: L });
    assert.deepEqual(empty.Contents, []);
    assert.deepEqual(empty.CommonPrefixes, []);
    assert.equal(empty.IsTruncated, false);
    assert.equal(empty.MaxKeys, 1000);
    assert.equal(empty.Name, L);
    await h.client.putObject({ Bucket: L, Key: 'only', Body: 'abc' });
    const one = await h.client.listObjects({ Bucket: L });
    assert.equal(one.Contents.length, 1);
    const [item] = one.Contents;
    assert.equal(item!.Key, 'only');
    assert.equal(item!.Size, 3);
    assert.equal(typeof item!.Size, 'number');
    assert.equal(item!.ETag, `"${md5Hex('abc')}"`);
    assert.equal(item!.StorageClass, 'STANDARD');
    assert.ok(!Number.isNaN(Date.parse(item!.LastModified)));
    const onePrefix = await h.client.listObjects({ Bucket: L, Delimiter: 'n' });
    assert.deepEqual(onePrefix.CommonPrefixes, [{ Prefix: 'on' }]);
    assert.deepEqual(onePrefix.Contents, []);
  });

  test('listObjects: Prefix/Delimiter/Marker/MaxKeys paging to the end', async () => {
    const L = bucketName('page');
    await h.client.createBucket({ Bucket: L });
    const keys = ['a/1', 'a/2', 'a/3', 'b/1', 'b/c/1', 'c', 'd', 'e/'];
    for (const Key of keys) await h.client.putObject({ Bucket: L, Key, Body: Key });
    const seen: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await h.client.listObjects({ Bucket: L, MaxKeys: 3, ...(Marker ? { Marker } : {}) });
      pages++;
      assert.equal(page.MaxKeys, 3);
      assert.ok(page.Contents.length <= 3);
      seen.push(...page.Contents.map((c) => c.Key));
      if (!page.IsTruncated) break;
      assert.equal(page.IsTruncated, true);
      Marker = page.NextMarker ?? page.Contents.at(-1)!.Key;
    }
    assert.deepEqual(seen, keys);
    assert.equal(pages, 3);

    const grouped = await h.client.listObjects({ Bucket: L, Delimiter: '/' });
    assert.deepEqual(
      grouped.CommonPrefixes.map((p) => p.Prefix),
      ['a/', 'b/', 'e/'],
    );
    assert.deepEqual(
      grouped.Contents.map((c) => c.Key),
      ['c', 'd'],
    );
    const inB = await h.client.listObjects({ Bucket: L, Prefix: 'b/', Delimiter: '/' });
    assert.equal(inB.Prefix, 'b/');
    assert.equal(inB.Delimiter, '/');
    assert.deepEqual(
      inB.Contents.map((c) => c.Key),
      ['b/1'],
    );
    assert.deepEqual(inB.CommonPrefixes, [{ Prefix: 'b/c/' }]);
    // Paging with a delimiter: common prefixes count toward MaxKeys.
    const prefixPages: string[] = [];
    Marker = undefined;
    for (;;) {
      const page = await h.client.listObjects({
        Bucket: L,
        Delimiter: '/',
        MaxKeys: 1,
        ...(Marker ? { Marker } : {}),
      });
      prefixPages.push(...page.CommonPrefixes.map((p) => p.Prefix), ...page.Contents.map((c) => c.Key));
      if (!page.IsTruncated) break;
      assert.ok(page.NextMarker, 'a truncated page gives NextMarker');
      Marker = page.NextMarker;
    }
    assert.deepEqual(prefixPages, ['a/', 'b/', 'c', 'd', 'e/']);
  });

  test('odd keys: put, head, get, list (url and raw), presign and delete', async () => {
    const O = bucketName('odd');
    await h.client.createBucket({ Bucket: O });
    for (const Key of ODD_KEYS) {
      const r = await h.client.putObject({ Bucket: O, Key, Body: `body of ${Key}` });
      assert.equal(r.ETag, `"${md5Hex(`body of ${Key}`)}"`, Key);
      assert.equal(
        (await h.client.headObject({ Bucket: O, Key }))['Content-Length'],
        Buffer.byteLength(`body of ${Key}`),
      );
      assert.equal((await content(Key, O)).toString(), `body of ${Key}`, Key);
    }
    const sorted = [...ODD_KEYS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const url = await h.client.listObjects({ Bucket: O });
    assert.equal(url.EncodingType, 'url');
    assert.deepEqual(
      url.Contents.map((c) => c.Key),
      sorted,
    );
    const raw = await h.client.listObjects({ Bucket: O, EncodingType: '' });
    assert.equal(raw.EncodingType, undefined);
    assert.deepEqual(
      raw.Contents.map((c) => c.Key),
      sorted,
    );
    // Prefix and Marker with odd characters go out encoded and come back decoded.
    const after = await h.client.listObjects({ Bucket: O, Marker: "'()*!", Prefix: '' });
    assert.equal(after.Marker, "'()*!");
    assert.deepEqual(
      after.Contents.map((c) => c.Key),
      sorted.filter((k) => Buffer.compare(Buffer.from(k), Buffer.from("'()*!")) > 0),
    );
    const prefixed = await h.client.listObjects({ Bucket: O, Prefix: '文件夹/' });
    assert.equal(prefixed.Prefix, '文件夹/');
    assert.deepEqual(
      prefixed.Contents.map((c) => c.Key),
      ['文件夹/x'],
    );
    const pathStyle = h.newClient({
      ForcePathStyle: true,
      Endpoint: `127.0.0.1:${h.server.port}`,
      IP: undefined,
    });
    for (const Key of ODD_KEYS) {
      const res = await fetch(await pathStyle.getPresignedUrl({ Bucket: O, Key }));
      assert.equal(await res.text(), `body of ${Key}`, `presigned ${Key}`);
    }
    for (const Key of ODD_KEYS) await h.client.deleteObject({ Bucket: O, Key });
    assert.deepEqual((await h.client.listObjects({ Bucket: O })).Contents, []);
  });

  test('multipart: create with every parameter, parts from Buffer/Uint8Array/stream, listParts paging, complete', async () => {
    const Key = '文件夹/a b+c?#%.bin';
    const created = await h.client.createMultipartUpload({
      Bucket,
      Key,
      StorageClass: 'STANDARD_IA',
      Expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
      CacheControl: 'no-store',
      ContentType: 'application/x-multi',
      ContentDisposition: 'inline',
      ContentEncoding: 'identity',
      ContentLanguage: 'en',
      Metadata: { 'x-cos-meta-key1': 'value1', 'x-cos-meta-key2': 'value2' },
      ACL: 'private',
      GrantFullControl: 'id="100000000001"',
      GrantRead: 'id="100000000002"',
    });
    assert.equal(created.Bucket, Bucket);
    assert.equal(created.Key, Key);
    assert.ok(created.UploadId.length > 0);
    const { UploadId } = created;
    const p1 = Buffer.alloc(MiB, 1);
    const p2 = new Uint8Array(MiB).fill(2);
    const p3 = Buffer.from('tail part');
    const parts = [
      await h.client.uploadPart({ Bucket, Key, UploadId, PartNumber: 1, Body: p1, EnableMD5: true }),
      await h.client.uploadPart({ Bucket, Key, UploadId, PartNumber: 2, Body: p2, TrafficLimit: 838860800 }),
      await h.client.uploadPart({
        Bucket,
        Key,
        UploadId,
        PartNumber: 3,
        Body: streamOf('tail ', 'part'),
        ContentLength: String(p3.length),
        ContentMD5: md5Base64(p3),
      }),
    ];
    assert.equal(parts[0]!.ETag, `"${md5Hex(p1)}"`);
    assert.equal(parts[1]!['x-cos-hash-crc64ecma'], crcOf(p2));
    assert.equal(parts[2]!.ETag, `"${md5Hex(p3)}"`);

    const listed: number[] = [];
    let PartNumberMarker = 0;
    for (;;) {
      const page = await h.client.listParts({ Bucket, Key, UploadId, MaxParts: 2, PartNumberMarker });
      assert.equal(page.Key, Key, 'the key comes back decoded');
      assert.equal(page.UploadId, UploadId);
      assert.equal(page.MaxParts, 2);
      assert.equal(page.PartNumberMarker, PartNumberMarker);
      assert.ok(Array.isArray(page.Part));
      for (const part of page.Part) {
        assert.equal(typeof part.PartNumber, 'number');
        assert.equal(typeof part.Size, 'number');
        listed.push(part.PartNumber);
      }
      if (!page.IsTruncated) break;
      assert.equal(page.IsTruncated, true);
      assert.equal(typeof page.NextPartNumberMarker, 'number');
      PartNumberMarker = page.NextPartNumberMarker;
    }
    assert.deepEqual(listed, [1, 2, 3]);
    const single = await h.client.listParts({ Bucket, Key, UploadId, PartNumberMarker: 2 });
    assert.equal(single.Part.length, 1);
    assert.deepEqual(
      { n: single.Part[0]!.PartNumber, size: single.Part[0]!.Size, etag: single.Part[0]!.ETag },
      { n: 3, size: p3.length, etag: `"${md5Hex(p3)}"` },
    );
    assert.equal(single.IsTruncated, false);

    const done = await h.client.completeMultipartUpload({
      Bucket,
      Key,
      UploadId,
      MultipartUpload: { Part: parts.map((p, i) => ({ PartNumber: i + 1, ETag: p.ETag })) },
    });
    assert.equal(done.Bucket, Bucket);
    assert.equal(done.Key, Key);
    assert.match(done.ETag, /^"[0-9a-f]{32}-3"$/);
    assert.ok(done.Location.length > 0);
    const whole = Buffer.concat([p1, p2, p3]);
    assert.equal(done['x-cos-hash-crc64ecma'], crcOf(whole));
    assert.ok((await content(Key)).equals(whole));
    const head = await h.client.headObject({ Bucket, Key });
    assert.equal(head['Content-Type'], 'application/x-multi');
    assert.equal(head['x-cos-storage-class'], 'STANDARD_IA');
    assert.equal(head.headers['cache-control'], 'no-store');
    assert.equal(head.headers['content-disposition'], 'inline');
    assert.equal(head.headers['content-language'], 'en');
    assert.equal(head.headers['expires'], 'Wed, 21 Oct 2037 07:28:00 GMT');
    assert.deepEqual(head.Metadata, { 'x-cos-meta-key1': 'value1', 'x-cos-meta-key2': 'value2' });
  });

  test('uploadPartCopy: CopySource with Region and VersionId, ranges, the four conditions → 412', async () => {
    const src = bucketName('src');
    await h.client.createBucket({ Bucket: src });
    const SourceKey = 'source object 文?#';
    const source = Buffer.concat([Buffer.alloc(MiB, 9), Buffer.from('and the rest')]);
    const put = await h.client.putObject({ Bucket: src, Key: SourceKey, Body: source });
    const CopySource = { Bucket: src, Key: SourceKey, Region: 'ap-guangzhou' };
    const Key = 'copied/target';
    const { UploadId } = await h.client.createMultipartUpload({ Bucket, Key });

    const first = await h.client.uploadPartCopy({
      Bucket,
      Key,
      UploadId,
      PartNumber: 1,
      CopySource: { ...CopySource, VersionId: 'null' },
      CopySourceRange: `bytes=0-${MiB - 1}`,
      CopySourceIfMatch: put.ETag,
      CopySourceIfUnmodifiedSince: new Date(Date.now() + 86_400_000).toUTCString(),
    });
    assert.equal(first.ETag, `"${md5Hex(source.subarray(0, MiB))}"`);
    assert.ok(!Number.isNaN(Date.parse(first.LastModified)));
    assert.equal(first['x-cos-copy-source-version-id'], 'null');
    const second = await h.client.uploadPartCopy({
      Bucket,
      Key,
      UploadId,
      PartNumber: 2,
      CopySource,
      CopySourceRange: `bytes=${MiB}-${source.length - 1}`,
      CopySourceIfNoneMatch: '"00000000000000000000000000000000"',
      CopySourceIfModifiedSince: new Date(Date.now() - 86_400_000).toUTCString(),
    });
    assert.equal(second['x-cos-copy-source-version-id'], undefined);

    const failing: [string, Record<string, string>][] = [
      ['IfMatch', { CopySourceIfMatch: '"00000000000000000000000000000000"' }],
      ['IfNoneMatch', { CopySourceIfNoneMatch: put.ETag }],
      ['IfModifiedSince', { CopySourceIfModifiedSince: new Date(Date.now() + 86_400_000).toUTCString() }],
      ['IfUnmodifiedSince', { CopySourceIfUnmodifiedSince: new Date(Date.now() - 86_400_000).toUTCString() }],
    ];
    for (const [name, condition] of failing) {
      const err = await rejection(
        h.client.uploadPartCopy({ Bucket, Key, UploadId, PartNumber: 3, CopySource, ...condition }),
      );
      assert.ok(err instanceof CosServiceError, name);
      assert.equal(err.statusCode, 412, name);
      assert.equal(err.errorCode, 'PreconditionFailed', name);
    }
    const done = await h.client.completeMultipartUpload({
      Bucket,
      Key,
      UploadId,
      MultipartUpload: {
        Part: [
          { PartNumber: 1, ETag: first.ETag },
          { PartNumber: 2, ETag: second.ETag },
        ],
      },
    });
    assert.equal(done['x-cos-hash-crc64ecma'], crcOf(source));
    assert.ok((await content(Key)).equals(source));
    // A whole-object copy (no range) of a small source.
    const { UploadId: u2 } = await h.client.createMultipartUpload({ Bucket, Key: 'copied/whole' });
    const whole = await h.client.uploadPartCopy({
      Bucket,
      Key: 'copied/whole',
      UploadId: u2,
      PartNumber: 1,
      CopySource,
    });
    assert.equal(whole.ETag, `"${md5Hex(source)}"`);
    await h.client.abortMultipartUpload({ Bucket, Key: 'copied/whole', UploadId: u2 });
  });

  test('abortMultipartUpload discards the upload', async () => {
    const Key = 'abort/me';
    const { UploadId } = await h.client.createMultipartUpload({ Bucket, Key });
    await h.client.uploadPart({ Bucket, Key, UploadId, PartNumber: 1, Body: 'x' });
    const r = await h.client.abortMultipartUpload({ Bucket, Key, UploadId });
    assert.equal(r.statusCode, 204);
    const err = await rejection(h.client.listParts({ Bucket, Key, UploadId }));
    assert.equal((err as CosServiceError).errorCode, 'NoSuchUpload');
    assert.ok(!(await h.client.listMultipartUploads({ Bucket })).Upload.some((u) => u.UploadId === UploadId));
  });

  test('listParts of an upload without parts is an empty array', async () => {
    const { UploadId } = await h.client.createMultipartUpload({ Bucket, Key: 'noparts' });
    const r = await h.client.listParts({ Bucket, Key: 'noparts', UploadId });
    assert.deepEqual(r.Part, []);
    assert.equal(r.IsTruncated, false);
    assert.equal(r.MaxParts, 1000);
    await h.client.abortMultipartUpload({ Bucket, Key: 'noparts', UploadId });
  });

  test('listMultipartUploads: empty, one, paging with KeyMarker/UploadIdMarker, Delimiter, decoded keys', async () => {
    const M = bucketName('mpu');
    await h.client.createBucket({ Bucket: M });
    const empty = await h.client.listMultipartUploads({ Bucket: M });
    assert.deepEqual(empty.Upload, []);
    assert.deepEqual(empty.CommonPrefixes, []);
    assert.equal(empty.IsTruncated, false);
    assert.equal(empty.MaxUploads, 1000);
    const first = await h.client.createMultipartUpload({
      Bucket: M,
      Key: 'dir/a b+c',
      StorageClass: 'STANDARD',
    });
    const one = await h.client.listMultipartUploads({ Bucket: M });
    assert.equal(one.Upload.length, 1);
    assert.equal(one.Upload[0]!.Key, 'dir/a b+c');
    assert.equal(one.Upload[0]!.UploadId, first.UploadId);
    assert.equal(one.Upload[0]!.StorageClass, 'STANDARD');
    assert.ok(!Number.isNaN(Date.parse(one.Upload[0]!.Initiated)));
    assert.equal(typeof one.Upload[0]!.Initiator.ID, 'string');
    assert.equal(typeof one.Upload[0]!.Owner.ID, 'string');

    const created = [first];
    for (const Key of ['dir/a b+c', 'dir/文件', 'top', 'other/%']) {
      created.push(await h.client.createMultipartUpload({ Bucket: M, Key }));
    }
    const expected = created
      .map((c) => `${c.Key}|${c.UploadId}`)
      .sort((a, b) => {
        const [ka, ua] = a.split('|');
        const [kb, ub] = b.split('|');
        return Buffer.compare(Buffer.from(ka!), Buffer.from(kb!)) || (ua! < ub! ? -1 : ua! > ub! ? 1 : 0);
      });
    const seen: string[] = [];
    let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 10, 'paging terminates');
      const page = await h.client.listMultipartUploads({ Bucket: M, MaxUploads: 2, ...markers });
      assert.equal(page.MaxUploads, 2);
      seen.push(...page.Upload.map((u) => `${u.Key}|${u.UploadId}`));
      if (!page.IsTruncated) break;
      markers = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
    }
    assert.deepEqual(seen, expected);

    const grouped = await h.client.listMultipartUploads({
      Bucket: M,
      Delimiter: '/',
      EncodingType: 'url',
    });
    assert.deepEqual(
      grouped.CommonPrefixes.map((p) => p.Prefix),
      ['dir/', 'other/'],
    );
    assert.deepEqual(
      grouped.Upload.map((u) => u.Key),
      ['top'],
    );
    const prefixed = await h.client.listMultipartUploads({ Bucket: M, Prefix: 'dir/文' });
    assert.deepEqual(
      prefixed.Upload.map((u) => u.Key),
      ['dir/文件'],
    );
    assert.equal(prefixed.Prefix, 'dir/文');
    for (const c of created)
      await h.client.abortMultipartUpload({ Bucket: M, Key: c.Key, UploadId: c.UploadId });
  });

  test('getPresignedUrl: GET and PUT URLs work with plain http.get / fetch; tampering is refused', async () => {
    const Key = 'presign/a b+c 文.txt';
    await h.client.putObject({ Bucket, Key, Body: 'presigned content' });
    // IP/Port client: the URL names the real COS host (as both official SDKs do), so it is fetched
    // by connecting to the IP with that Host — the way a user of an IP override would.
    const url = new URL(await h.client.getPresignedUrl({ Bucket, Key }));
    assert.equal(url.host, host);
    const got = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      httpGet(
        {
          host: '127.0.0.1',
          port: h.server.port,
          path: url.pathname + url.search,
          headers: { host: url.host },
        },
        (res) => {
          readAll(res).then((b) => resolve({ status: res.statusCode ?? 0, body: b.toString() }), reject);
        },
      ).on('error', reject);
    });
    assert.deepEqual(got, { status: 200, body: 'presigned content' });
    // Path-style client on the server's own address: the URL is fetchable as is.
    const pathStyle = h.newClient({
      ForcePathStyle: true,
      Endpoint: `127.0.0.1:${h.server.port}`,
      IP: undefined,
    });
    const direct = await pathStyle.getPresignedUrl({
      Bucket,
      Key,
      Params: { 'response-content-disposition': 'attachment; filename="p.txt"' },
    });
    const fetched = await fetch(direct);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.headers.get('content-disposition'), 'attachment; filename="p.txt"');
    assert.equal(await fetched.text(), 'presigned content');
    // The extra parameter is signed: changing it breaks the signature.
    const tampered = await fetch(direct.replace('p.txt', 'q.txt'));
    assert.equal(tampered.status, 403);
    await tampered.body?.cancel();
    // A PUT URL uploads.
    const putUrl = await pathStyle.getPresignedUrl({
      Bucket,
      Key: 'presign/put',
      Method: 'PUT',
      Expired: 60,
    });
    const put = await fetch(putUrl, { method: 'PUT', body: 'uploaded by URL' });
    assert.equal(put.status, 200);
    await put.body?.cancel();
    assert.equal((await content('presign/put')).toString(), 'uploaded by URL');
    // A GET URL cannot be used to PUT.
    const wrongMethod = await fetch(direct, { method: 'PUT', body: 'x' });
    assert.equal(wrongMethod.status, 403);
    await wrongMethod.body?.cancel();
    // A direct plain request with no signature is refused (the object is private).
    assert.equal((await plainRequest('GET', h.server.port, host, url.pathname)).status, 403);
  });
});
