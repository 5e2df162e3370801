/**
 * The object APIs around upload (issue #11) against the real server: PUT Object - Copy (blobs
 * shared, never copied), Delete Multiple Objects, object ACL (read by the access check), object
 * tagging and no-overwrite uploads — the happy paths through the official `cos-nodejs-sdk-v5`, every
 * error code through raw requests, and what each leaves on disk.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LocalStore } from '../src/store/local/local-store.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, type RawRequest, rawRequest } from './support/raw.js';

const md5b64 = (body: string | Buffer) => createHash('md5').update(body).digest('base64');

let h: Harness;
const Bucket = bucketName();
const Other = bucketName();
const source = (key: string, bucket = Bucket) =>
  `${bucket}.cos.${REGION}.myqcloud.com/${encodeURIComponent(key)}`;
const raw = (r: Omit<RawRequest, 'port'>) => rawRequest({ port: h.server.port, ...r });
const put = (Key: string, Body: string | Buffer, extra: Record<string, unknown> = {}) =>
  call(h.cos, 'putObject', { Bucket, Region: REGION, Key, Body, ...extra });
const head = (Key: string, bucket = Bucket) =>
  call(h.cos, 'headObject', { Bucket: bucket, Region: REGION, Key });
const text = async (Key: string, bucket = Bucket) =>
  String((await call(h.cos, 'getObject', { Bucket: bucket, Region: REGION, Key })).data?.Body ?? '');

/** Blobs the store holds: regular files under blobs/, and small bodies kept in its index. */
async function blobFiles(): Promise<number> {
  const entries = await readdir(join(h.dataDir, 'blobs'), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).length + (h.server.store as LocalStore).inlineBlobs().length;
}

before(async () => {
  h = await startHarness();
  for (const b of [Bucket, Other])
    assert.equal((await call(h.cos, 'putBucket', { Bucket: b, Region: REGION })).err, null);
});
after(() => h.close());

describe('PUT Object - Copy', () => {
  test('official SDK putObjectCopy: same bytes, ETag, CRC-64 and metadata; no blob written', async () => {
    const r = await put('src.txt', 'hello copy', {
      ContentType: 'text/x-test',
      CacheControl: 'max-age=60',
      'x-cos-meta-color': 'blue',
    });
    assert.equal(r.err, null);
    const blobs = await blobFiles();
    const copy = await call(h.cos, 'putObjectCopy', {
      Bucket: Other,
      Region: REGION,
      Key: 'dir/复制 copy.txt',
      CopySource: source('src.txt'),
    });
    assert.equal(copy.err, null);
    assert.equal(copy.data.ETag, r.data.ETag);
    assert.match(copy.data.LastModified, /^\d{4}-\d\d-\d\dT/);
    assert.equal(await blobFiles(), blobs, 'a copy shares the blob instead of writing one');
    const target = await head('dir/复制 copy.txt', Other);
    const original = await head('src.txt');
    assert.equal(target.data.headers['etag'], original.data.headers['etag']);
    assert.equal(target.data.headers['x-cos-hash-crc64ecma'], original.data.headers['x-cos-hash-crc64ecma']);
    assert.equal(copy.data.CRC64, original.data.headers['x-cos-hash-crc64ecma']);
    assert.equal(target.data.headers['content-type'], 'text/x-test');
    assert.equal(target.data.headers['cache-control'], 'max-age=60');
    assert.equal(target.data.headers['x-cos-meta-color'], 'blue');
    assert.equal(await text('dir/复制 copy.txt', Other), 'hello copy');
  });

  test('shared blobs live as long as any holder: overwrite and delete the source, then the copy', async () => {
    const baseline = await blobFiles();
    await put('shared-src', 'first bytes');
    const copied = await call(h.cos, 'putObjectCopy', {
      Bucket,
      Region: REGION,
      Key: 'shared-dst',
      CopySource: source('shared-src'),
    });
    assert.equal(copied.err, null);
    assert.equal(await blobFiles(), baseline + 1);
    await put('shared-src', 'second bytes');
    assert.equal(await text('shared-dst'), 'first bytes', 'the copy keeps the bytes it was made of');
    assert.equal(await blobFiles(), baseline + 2);
    await call(h.cos, 'deleteObject', { Bucket, Region: REGION, Key: 'shared-src' });
    assert.equal(await text('shared-dst'), 'first bytes');
    assert.equal(await blobFiles(), baseline + 1);
    await call(h.cos, 'deleteObject', { Bucket, Region: REGION, Key: 'shared-dst' });
    assert.equal(await blobFiles(), baseline, 'the last holder frees the blob');
  });

  test('Replaced takes the request metadata; class and ACL are never inherited; tags are', async () => {
    await put('meta-src', 'm', {
      ContentType: 'text/plain',
      ACL: 'public-read',
      StorageClass: 'STANDARD_IA',
      Headers: { 'x-cos-tagging': 'team=a' },
      'x-cos-meta-old': '1',
    });
    const copy = await raw({
      method: 'PUT',
      bucket: Bucket,
      key: 'meta-copy',
      headers: { 'x-cos-copy-source': source('meta-src') },
    });
    assert.equal(copy.status, 200, copy.text);
    assert.match(copy.text, /^<\?xml version='1.0' encoding='utf-8' \?><CopyObjectResult><ETag>&quot;/);
    const copied = await head('meta-copy');
    assert.equal(copied.data.headers['x-cos-storage-class'], undefined, 'STANDARD unless given');
    assert.equal(copied.data.headers['x-cos-meta-old'], '1');
    assert.equal(copied.data.headers['x-cos-tagging-count'], '1');
    const anonymous = await raw({ method: 'GET', bucket: Bucket, key: 'meta-copy', sign: false });
    assert.equal(anonymous.status, 403, 'the public-read ACL of the source is not inherited');
    const replaced = await raw({
      method: 'PUT',
      bucket: Bucket,
      key: 'meta-replaced',
      headers: {
        'x-cos-copy-source': source('meta-src'),
        'x-cos-metadata-directive': 'Replaced',
        'content-type': 'application/json',
        'x-cos-meta-new': '2',
        'x-cos-storage-class': 'ARCHIVE',
      },
    });
    assert.equal(replaced.status, 200, replaced.text);
    const after = await head('meta-replaced');
    assert.equal(after.data.headers['content-type'], 'application/json');
    assert.equal(after.data.headers['x-cos-meta-new'], '2');
    assert.equal(after.data.headers['x-cos-meta-old'], undefined);
    assert.equal(after.data.headers['x-cos-storage-class'], 'ARCHIVE');
    assert.equal(
      after.data.headers['x-cos-tagging-count'],
      undefined,
      'Replaced without x-cos-tagging: no tags',
    );
  });

  test("onto itself: Replaced changes metadata and class (the SDKs' update-meta); Copy alone is refused", async () => {
    const r = await put('self', 'self bytes', { 'x-cos-meta-v': '1' });
    const refused = await raw({
      method: 'PUT',
      bucket: Bucket,
      key: 'self',
      headers: { 'x-cos-copy-source': source('self') },
    });
    assert.equal(refused.status, 400);
    assert.equal(errorCode(refused), 'InvalidRequest');
    const blobs = await blobFiles();
    const update = await call(h.cos, 'putObjectCopy', {
      Bucket,
      Region: REGION,
      Key: 'self',
      CopySource: source('self'),
      MetadataDirective: 'Replaced',
      StorageClass: 'STANDARD_IA',
      'x-cos-meta-v': '2',
    });
    assert.equal(update.err, null);
    const after = await head('self');
    assert.equal(after.data.headers['x-cos-meta-v'], '2');
    assert.equal(after.data.headers['x-cos-storage-class'], 'STANDARD_IA');
    assert.equal(after.data.headers['etag'], r.data.ETag);
    assert.equal(await text('self'), 'self bytes');
    assert.equal(await blobFiles(), blobs);
  });

  test('copy-source conditions and x-cos-tagging', async () => {
    const r = await put('cond', 'c');
    const etag = r.data.ETag as string;
    const attempt = (headers: Record<string, string>) =>
      raw({
        method: 'PUT',
        bucket: Bucket,
        key: 'cond-copy',
        headers: { 'x-cos-copy-source': source('cond'), ...headers },
      });
    const failing: Record<string, string>[] = [
      { 'x-cos-copy-source-If-Match': '"0000"' },
      { 'x-cos-copy-source-If-None-Match': etag },
      { 'x-cos-copy-source-If-Unmodified-Since': 'Mon, 01 Jan 2001 00:00:00 GMT' },
      { 'x-cos-copy-source-If-Modified-Since': new Date(Date.now() + 3_600_000).toUTCString() },
    ];
    for (const headers of failing) {
      const res = await attempt(headers);
      assert.equal(res.status, 412, JSON.stringify(headers));
      assert.equal(errorCode(res), 'PreconditionFailed');
    }
    assert.equal((await head('cond-copy')).err?.statusCode, 404, 'a refused copy writes nothing');
    const ok = await attempt({ 'x-cos-copy-source-If-Match': etag, 'x-cos-tagging': 'k=v&k2=v2' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await head('cond-copy')).data.headers['x-cos-tagging-count'], '2');
  });

  test('every refusal: status, code, and nothing written', async () => {
    await put('plain', 'p');
    await call(h.cos, 'appendObject', { Bucket, Region: REGION, Key: 'appendable', Position: 0, Body: 'a' });
    const cases: [Record<string, string>, number, string, string?][] = [
      [{ 'x-cos-copy-source': 'www.qq.com12345.txt' }, 400, 'InvalidCopySource'],
      [
        { 'x-cos-copy-source': `${Bucket}.cos.${REGION}.myqcloud.com/${'k'.repeat(900)}` },
        400,
        'KeyTooLong', // the source key meets the rules of any key (as in Upload Part - Copy)
      ],
      [{ 'x-cos-copy-source': source('missing') }, 404, 'NoSuchCopySource'],
      [{ 'x-cos-copy-source': source('plain', 'nobucket-1250000000') }, 404, 'NoSuchBucket'],
      [{ 'x-cos-copy-source': `${source('plain')}?versionId=MTg0NDUx` }, 404, 'NoSuchVersion'],
      [{ 'x-cos-copy-source': source('plain'), 'x-cos-metadata-directive': 'Merge' }, 400, 'InvalidArgument'],
      [{ 'x-cos-copy-source': source('appendable') }, 400, 'InvalidRequest'],
      [{ 'x-cos-copy-source': source('plain'), 'x-cos-tagging': 'a#b=1' }, 400, 'InvalidTag'],
      [
        { 'x-cos-copy-source': source('plain'), 'x-cos-storage-class': 'COLDEST' },
        400,
        'InvalidStorageClass',
      ],
      [{ 'x-cos-copy-source': source('plain'), 'x-cos-acl': 'public-read-write' }, 400, 'InvalidArgument'],
      [{ 'x-cos-copy-source': source('plain'), 'x-cos-grant-read': 'alice' }, 400, 'InvalidArgument'],
    ];
    for (const [headers, status, code] of cases) {
      const res = await raw({ method: 'PUT', bucket: Bucket, key: 'refused-copy', headers });
      assert.equal(res.status, status, `${JSON.stringify(headers)}: ${res.text}`);
      assert.equal(errorCode(res), code, JSON.stringify(headers));
      assert.match(res.text, /<RequestId>[^<]+<\/RequestId>/);
    }
    assert.equal((await head('refused-copy')).err?.statusCode, 404);
    const missingTarget = await raw({
      method: 'PUT',
      bucket: 'nobucket-1250000000',
      key: 'x',
      headers: { 'x-cos-copy-source': source('plain') },
    });
    assert.equal(errorCode(missingTarget), 'NoSuchBucket');
    await put('exists', 'old');
    const forbidden = await raw({
      method: 'PUT',
      bucket: Bucket,
      key: 'exists',
      headers: { 'x-cos-copy-source': source('plain'), 'x-cos-forbid-overwrite': 'true' },
    });
    assert.equal(forbidden.status, 409);
    assert.equal(errorCode(forbidden), 'FileAlreadyExists');
    assert.equal(await text('exists'), 'old');
    const anonymous = await raw({
      method: 'PUT',
      bucket: Bucket,
      key: 'anon-copy',
      headers: { 'x-cos-copy-source': source('plain') },
      sign: false,
    });
    assert.equal(errorCode(anonymous), 'AccessDenied');
  });
});

describe('Delete Multiple Objects', () => {
  const deleteBody = (keys: string[], quiet = false) =>
    `<Delete><Quiet>${quiet}</Quiet>${keys.map((k) => `<Object><Key>${k}</Key></Object>`).join('')}</Delete>`;
  const post = (
    body: string,
    headers: Record<string, string> = { 'content-md5': md5b64(body) },
    query = {},
  ) => raw({ method: 'POST', bucket: Bucket, query: { delete: '', ...query }, headers, body });

  test('official SDK deleteMultipleObject: unicode keys, a missing key, one commit, blobs freed', async () => {
    const baseline = await blobFiles();
    const keys = ['del/1.txt', 'del/文件 2.txt', 'del/&<>"\''];
    for (const k of keys) await put(k, `body of ${k}`);
    assert.equal(await blobFiles(), baseline + 3);
    const r = await call(h.cos, 'deleteMultipleObject', {
      Bucket,
      Region: REGION,
      Objects: [...keys.map((Key) => ({ Key })), { Key: 'del/never-existed' }],
    });
    assert.equal(r.err, null);
    assert.deepEqual(
      r.data.Deleted.map((d: { Key: string }) => d.Key),
      [...keys, 'del/never-existed'],
    );
    assert.deepEqual(r.data.Error, []);
    for (const k of keys) assert.equal((await head(k)).err?.statusCode, 404, k);
    assert.equal(await blobFiles(), baseline);
  });

  test('Quiet lists only failures; per-key errors do not stop the others', async () => {
    await put('q1', '1');
    await put('q2', '2');
    const body =
      '<Delete><Quiet>true</Quiet><Object><Key>q1</Key></Object>' +
      `<Object><Key>${'k'.repeat(851)}</Key></Object>` +
      '<Object><Key>q2</Key><VersionId>MTg0NDUx</VersionId></Object><Object><Key/></Object></Delete>';
    const res = await post(body);
    assert.equal(res.status, 200, res.text);
    assert.doesNotMatch(res.text, /<Deleted>/);
    assert.match(res.text, /<Error><Key>k{851}<\/Key><Code>KeyTooLong<\/Code>/);
    assert.match(
      res.text,
      /<Error><Key>q2<\/Key><VersionId>MTg0NDUx<\/VersionId><Code>NoSuchVersion<\/Code>/,
    );
    assert.match(res.text, /<Error><Key\/><Code>InvalidObjectName<\/Code>/);
    assert.equal((await head('q1')).err?.statusCode, 404);
    assert.equal(await text('q2'), '2', 'a key with an unknown version is not deleted');
  });

  test('encoding-type=url carries keys XML cannot; without it nothing is deleted', async () => {
    const key = 'bell\u0007key';
    assert.equal(
      (await raw({ method: 'PUT', bucket: Bucket, key, body: 'x', headers: { 'content-length': '1' } }))
        .status,
      200,
    );
    const body = deleteBody(['bell&#7;key']);
    const plain = await post(body);
    assert.equal(errorCode(plain), 'InvalidArgument');
    assert.equal((await head(key)).err, null, 'refused before deleting');
    const encoded = await post(body, { 'content-md5': md5b64(body) }, { 'encoding-type': 'url' });
    assert.equal(encoded.status, 200, encoded.text);
    assert.match(encoded.text, /<EncodingType>url<\/EncodingType><Deleted><Key>bell%07key<\/Key>/);
    assert.equal((await head(key)).err?.statusCode, 404);
  });

  test('every refusal of the request as a whole', async () => {
    const ok = deleteBody(['a']);
    const cases: [Promise<Awaited<ReturnType<typeof raw>>>, number, string][] = [
      [post(ok, {}), 400, 'InvalidRequest'],
      [post(ok, { 'content-md5': md5b64('other') }), 400, 'BadDigest'],
      [post(ok, { 'content-md5': 'bm90IGFuIG1kNQ==' }), 400, 'InvalidDigest'],
      [post('<Delete><Object><Key>a</Key></Object>'), 400, 'MalformedXML'],
      [post(deleteBody(Array.from({ length: 1001 }, (_, i) => `k${i}`))), 400, 'MalformedXML'],
      [post('<Delete><Quiet>true</Quiet></Delete>'), 400, 'MalformedXML'],
      [post(ok, { 'content-md5': md5b64(ok) }, { 'encoding-type': 'xml' }), 400, 'InvalidArgument'],
      [
        raw({
          method: 'POST',
          bucket: Bucket,
          query: { delete: '' },
          headers: { 'content-md5': md5b64('') },
          body: '',
        }),
        400,
        'MissingRequestBodyError',
      ],
      [
        raw({
          method: 'POST',
          bucket: 'nobucket-1250000000',
          query: { delete: '' },
          headers: { 'content-md5': md5b64(ok) },
          body: ok,
        }),
        404,
        'NoSuchBucket',
      ],
      [
        raw({
          method: 'POST',
          bucket: Bucket,
          query: { delete: '' },
          headers: { 'content-md5': md5b64(ok) },
          body: ok,
          sign: false,
        }),
        403,
        'AccessDenied',
      ],
    ];
    for (const [pending, status, code] of cases) {
      const res = await pending;
      assert.equal(res.status, status, `${code}: ${res.text}`);
      assert.equal(errorCode(res), code);
    }
  });
});

describe('object ACL', () => {
  const getAcl = (Key: string) => call(h.cos, 'getObjectAcl', { Bucket, Region: REGION, Key });
  const anonymousGet = async (key: string) =>
    (await raw({ method: 'GET', bucket: Bucket, key, sign: false })).status;

  test('canned ACLs through the official SDK: the access check reads the stored ACL', async () => {
    await put('acl.txt', 'hello!');
    assert.equal(await anonymousGet('acl.txt'), 403);
    assert.equal(
      (await call(h.cos, 'putObjectAcl', { Bucket, Region: REGION, Key: 'acl.txt', ACL: 'public-read' })).err,
      null,
    );
    const pub = await getAcl('acl.txt');
    assert.equal(pub.data.ACL, 'public-read');
    assert.ok(
      pub.data.Grants.some((g: { Grantee: { URI?: string } }) => g.Grantee.URI?.endsWith('/AllUsers')),
    );
    assert.equal(await anonymousGet('acl.txt'), 200);
    assert.equal(
      (await call(h.cos, 'putObjectAcl', { Bucket, Region: REGION, Key: 'acl.txt', ACL: 'private' })).err,
      null,
    );
    const priv = await getAcl('acl.txt');
    assert.equal(priv.data.ACL, 'private');
    assert.equal(priv.data.Grants.length, 1, 'the owner FULL_CONTROL only');
    assert.equal(priv.data.Grants[0].Permission, 'FULL_CONTROL');
    assert.equal(await anonymousGet('acl.txt'), 403);
    assert.equal(
      (await call(h.cos, 'putObjectAcl', { Bucket, Region: REGION, Key: 'acl.txt', ACL: 'default' })).err,
      null,
    );
    assert.equal((await getAcl('acl.txt')).data.ACL, 'default');
    assert.equal(await text('acl.txt'), 'hello!', 'an ACL change leaves the bytes alone');
  });

  test('grant headers and the AccessControlPolicy body (the Node SDK test bodies)', async () => {
    await put('grants.txt', 'g');
    const GrantRead = 'id="qcs::cam::uin/1001:uin/1001",id="qcs::cam::uin/1002:uin/1002"';
    assert.equal(
      (await call(h.cos, 'putObjectAcl', { Bucket, Region: REGION, Key: 'grants.txt', GrantRead })).err,
      null,
    );
    const read = await getAcl('grants.txt');
    assert.equal(read.data.GrantRead, GrantRead);
    const uri = await raw({
      method: 'PUT',
      bucket: Bucket,
      key: 'grants.txt',
      query: { acl: '' },
      headers: { 'x-cos-grant-read': 'uri="http://cam.qcloud.com/groups/global/AllUsers"' },
    });
    assert.equal(uri.status, 200, uri.text);
    assert.equal(await anonymousGet('grants.txt'), 200, 'a READ grant to all users makes it public');
    const owner = read.data.Owner.ID as string;
    for (const AccessControlPolicy of [
      {
        Owner: { ID: owner },
        Grants: [{ Grantee: { ID: 'qcs::cam::uin/10002:uin/10002' }, Permission: 'READ' }],
      },
      {
        Owner: { ID: owner },
        Grant: { Grantee: { ID: 'qcs::cam::uin/10002:uin/10002' }, Permission: 'READ' },
      },
    ]) {
      const r = await call(h.cos, 'putObjectAcl', {
        Bucket,
        Region: REGION,
        Key: 'grants.txt',
        AccessControlPolicy,
      });
      assert.equal(r.err, null);
      const acl = await getAcl('grants.txt');
      assert.equal(acl.data.Grants.length, 1);
      assert.equal(acl.data.Grants[0].Grantee.ID, 'qcs::cam::uin/10002:uin/10002');
      assert.equal(acl.data.Grants[0].Permission, 'READ');
      assert.equal(await anonymousGet('grants.txt'), 403);
    }
  });

  test('every refusal', async () => {
    await put('acl-err', 'e');
    const acl = (headers: Record<string, string>, body?: string, extra: Partial<RawRequest> = {}) =>
      raw({
        method: 'PUT',
        bucket: Bucket,
        key: 'acl-err',
        query: { acl: '' },
        headers,
        ...(body ? { body } : {}),
        ...extra,
      });
    const policy = (permission: string, grantee = '<ID>qcs::cam::uin/1:uin/1</ID>') =>
      `<AccessControlPolicy><Owner><ID>qcs::cam::uin/1:uin/1</ID></Owner><AccessControlList><Grant><Grantee>${grantee}</Grantee><Permission>${permission}</Permission></Grant></AccessControlList></AccessControlPolicy>`;
    const cases: [Promise<Awaited<ReturnType<typeof raw>>>, number, string][] = [
      [acl({ 'x-cos-acl': 'public-read-write' }), 400, 'InvalidArgument'],
      [acl({ 'x-cos-grant-read': '100000000001' }), 400, 'InvalidArgument'],
      [acl({}), 400, 'InvalidRequest'],
      [acl({ 'x-cos-acl': 'private' }, policy('READ')), 400, 'InvalidRequest'],
      [acl({}, '<AccessControlPolicy><AccessControlList>'), 400, 'MalformedXML'],
      [acl({}, policy('READ_WRITE')), 400, 'MalformedXML'],
      [acl({}, policy('READ', '<ID>alice</ID>')), 400, 'MalformedXML'],
      [acl({}, policy('READ'), { key: 'acl-missing' }), 404, 'NoSuchKey'],
      [
        acl({ 'x-cos-acl': 'private' }, undefined, { query: { acl: '', versionId: 'MTg0' } }),
        404,
        'NoSuchVersion',
      ],
      [acl({ 'x-cos-acl': 'private' }, undefined, { sign: false }), 403, 'AccessDenied'],
      [raw({ method: 'GET', bucket: Bucket, key: 'acl-missing', query: { acl: '' } }), 404, 'NoSuchKey'],
      [
        raw({ method: 'GET', bucket: Bucket, key: 'acl-err', query: { acl: '' }, sign: false }),
        403,
        'AccessDenied',
      ],
      [
        raw({ method: 'GET', bucket: 'nobucket-1250000000', key: 'x', query: { acl: '' } }),
        404,
        'NoSuchBucket',
      ],
      [raw({ method: 'GET', bucket: Bucket, query: { acl: '' } }), 501, 'NotImplemented'],
    ];
    for (const [pending, status, code] of cases) {
      const res = await pending;
      assert.equal(res.status, status, `${code}: ${res.text}`);
      assert.equal(errorCode(res), code);
    }
    assert.equal((await getAcl('acl-err')).data.ACL, 'default', 'no refused request changed the ACL');
  });
});

describe('object tagging', () => {
  test('official SDK put/get/deleteObjectTagging; HEAD counts; Last-Modified unchanged', async () => {
    await put('tagged', 't');
    const before = await head('tagged');
    const Tags = [
      { Key: 'k1', Value: 'v1' },
      { Key: '部门', Value: 'a b:c/d@e' },
    ];
    assert.equal(
      (await call(h.cos, 'putObjectTagging', { Bucket, Region: REGION, Key: 'tagged', Tags })).err,
      null,
    );
    const got = await call(h.cos, 'getObjectTagging', { Bucket, Region: REGION, Key: 'tagged' });
    assert.deepEqual(got.data.Tags, Tags);
    const after = await head('tagged');
    assert.equal(after.data.headers['x-cos-tagging-count'], '2');
    assert.equal(after.data.headers['last-modified'], before.data.headers['last-modified']);
    assert.equal(after.data.headers['x-cos-tagging'], undefined, 'tags are counted, not echoed');
    assert.equal(
      (await call(h.cos, 'deleteObjectTagging', { Bucket, Region: REGION, Key: 'tagged' })).err,
      null,
    );
    assert.deepEqual(
      (await call(h.cos, 'getObjectTagging', { Bucket, Region: REGION, Key: 'tagged' })).data.Tags,
      [],
    );
    assert.equal((await head('tagged')).data.headers['x-cos-tagging-count'], undefined);
  });

  test('x-cos-tagging on PUT and Initiate; an overwrite without it clears the tags', async () => {
    await put('upload-tags', 'x', { Headers: { 'x-cos-tagging': 'tagKey1=tagValue1&tagKey2=tagValue2' } });
    const got = await call(h.cos, 'getObjectTagging', { Bucket, Region: REGION, Key: 'upload-tags' });
    assert.deepEqual(got.data.Tags, [
      { Key: 'tagKey1', Value: 'tagValue1' },
      { Key: 'tagKey2', Value: 'tagValue2' },
    ]);
    await put('upload-tags', 'y');
    assert.equal((await head('upload-tags')).data.headers['x-cos-tagging-count'], undefined);
    const init = await call(h.cos, 'multipartInit', {
      Bucket,
      Region: REGION,
      Key: 'mp-tags',
      Headers: { 'x-cos-tagging': 'A=B' },
    });
    const UploadId = init.data.UploadId;
    const part = await call(h.cos, 'multipartUpload', {
      Bucket,
      Region: REGION,
      Key: 'mp-tags',
      UploadId,
      PartNumber: 1,
      Body: 'p',
    });
    const done = await call(h.cos, 'multipartComplete', {
      Bucket,
      Region: REGION,
      Key: 'mp-tags',
      UploadId,
      Parts: [{ PartNumber: 1, ETag: part.data.ETag }],
    });
    assert.equal(done.err, null);
    assert.deepEqual(
      (await call(h.cos, 'getObjectTagging', { Bucket, Region: REGION, Key: 'mp-tags' })).data.Tags,
      [{ Key: 'A', Value: 'B' }],
    );
  });

  test('every refusal, and nothing stored by a refused PUT', async () => {
    await put('tag-err', 'e', { Headers: { 'x-cos-tagging': 'keep=1' } });
    const tagging = (tags: string) => `<Tagging><TagSet>${tags}</TagSet></Tagging>`;
    const tag = (k: string, v: string) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`;
    const putTags = (body: string, key = 'tag-err', extra: Partial<RawRequest> = {}) =>
      raw({ method: 'PUT', bucket: Bucket, key, query: { tagging: '' }, body, ...extra });
    const cases: [Promise<Awaited<ReturnType<typeof raw>>>, number, string][] = [
      [putTags(tagging(Array.from({ length: 11 }, (_, i) => tag(`k${i}`, 'v')).join(''))), 400, 'InvalidTag'],
      [putTags(tagging(tag('a#b', 'v'))), 400, 'InvalidTag'],
      [putTags(tagging(tag('k', 'v'.repeat(256)))), 400, 'InvalidTag'],
      [putTags(tagging(tag('k', '1') + tag('k', '2'))), 400, 'InvalidTag'],
      [putTags('<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>'), 400, 'MalformedXML'],
      [putTags('<Tagging>'), 400, 'MalformedXML'],
      [putTags(tagging(tag('k', 'v')), 'tag-missing'), 404, 'NoSuchKey'],
      [
        putTags(tagging(tag('k', 'v')), 'tag-err', { headers: { 'content-md5': md5b64('x') } }),
        400,
        'BadDigest',
      ],
      [putTags(tagging(tag('k', 'v')), 'tag-err', { sign: false }), 403, 'AccessDenied'],
      [raw({ method: 'GET', bucket: Bucket, key: 'tag-missing', query: { tagging: '' } }), 404, 'NoSuchKey'],
      [
        raw({ method: 'DELETE', bucket: Bucket, key: 'tag-missing', query: { tagging: '' } }),
        404,
        'NoSuchKey',
      ],
      [raw({ method: 'GET', bucket: Bucket, query: { tagging: '' } }), 501, 'NotImplemented'],
      [
        raw({
          method: 'PUT',
          bucket: Bucket,
          key: 'tag-put',
          body: 'x',
          headers: { 'x-cos-tagging': 'k=v&k=w' },
        }),
        400,
        'InvalidTag',
      ],
    ];
    for (const [pending, status, code] of cases) {
      const res = await pending;
      assert.equal(res.status, status, `${code}: ${res.text}`);
      assert.equal(errorCode(res), code);
    }
    assert.deepEqual(
      (await call(h.cos, 'getObjectTagging', { Bucket, Region: REGION, Key: 'tag-err' })).data.Tags,
      [{ Key: 'keep', Value: '1' }],
    );
    assert.equal((await head('tag-put')).err?.statusCode, 404);
  });
});

describe('no-overwrite uploads (x-cos-forbid-overwrite)', () => {
  test('PUT: 409 FileAlreadyExists on an existing key, the old bytes kept', async () => {
    assert.equal((await put('nc', 'first', { Headers: { 'x-cos-forbid-overwrite': 'true' } })).err, null);
    const again = await raw({
      method: 'PUT',
      bucket: Bucket,
      key: 'nc',
      body: 'second',
      headers: { 'x-cos-forbid-overwrite': 'true' },
    });
    assert.equal(again.status, 409);
    assert.equal(errorCode(again), 'FileAlreadyExists');
    assert.equal(await text('nc'), 'first');
    assert.equal((await put('nc', 'third', { Headers: { 'x-cos-forbid-overwrite': 'false' } })).err, null);
    assert.equal(await text('nc'), 'third');
  });

  test('racing writers: exactly one of 12 concurrent PUTs creates the key', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        raw({
          method: 'PUT',
          bucket: Bucket,
          key: 'race',
          body: `writer ${i}`,
          headers: { 'x-cos-forbid-overwrite': 'true' },
        }),
      ),
    );
    const won = results.filter((r) => r.status === 200);
    assert.equal(won.length, 1, results.map((r) => r.status).join(','));
    assert.ok(results.every((r) => r.status === 200 || errorCode(r) === 'FileAlreadyExists'));
    const winner = results.indexOf(won[0]!);
    assert.equal(await text('race'), `writer ${winner}`);
  });

  test('multipart: stored with the upload at Initiate, checked at Complete', async () => {
    const init = await call(h.cos, 'multipartInit', {
      Bucket,
      Region: REGION,
      Key: 'mp-nc',
      Headers: { 'x-cos-forbid-overwrite': 'true' },
    });
    const UploadId = init.data.UploadId;
    const part = await call(h.cos, 'multipartUpload', {
      Bucket,
      Region: REGION,
      Key: 'mp-nc',
      UploadId,
      PartNumber: 1,
      Body: 'mp',
    });
    await put('mp-nc', 'got there first');
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.data.ETag}</ETag></Part></CompleteMultipartUpload>`;
    const complete = await raw({
      method: 'POST',
      bucket: Bucket,
      key: 'mp-nc',
      query: { uploadId: UploadId },
      body,
    });
    assert.equal(complete.status, 409, complete.text);
    assert.equal(errorCode(complete), 'FileAlreadyExists');
    assert.equal(await text('mp-nc'), 'got there first');
    const list = await call(h.cos, 'multipartListPart', { Bucket, Region: REGION, Key: 'mp-nc', UploadId });
    assert.equal(list.data.Part.length, 1, 'the refused upload is still there to abort');
    // The header at Complete alone also forbids it.
    const init2 = await call(h.cos, 'multipartInit', { Bucket, Region: REGION, Key: 'mp-nc' });
    const part2 = await call(h.cos, 'multipartUpload', {
      Bucket,
      Region: REGION,
      Key: 'mp-nc',
      UploadId: init2.data.UploadId,
      PartNumber: 1,
      Body: 'mp2',
    });
    const body2 = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part2.data.ETag}</ETag></Part></CompleteMultipartUpload>`;
    const complete2 = await raw({
      method: 'POST',
      bucket: Bucket,
      key: 'mp-nc',
      query: { uploadId: init2.data.UploadId },
      headers: { 'x-cos-forbid-overwrite': 'true' },
      body: body2,
    });
    assert.equal(errorCode(complete2), 'FileAlreadyExists');
  });
});
