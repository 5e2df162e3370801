/**
 * Bucket versioning over HTTP (issue 11 item 5): PUT/GET ?versioning, version IDs on every write,
 * GET/HEAD/DELETE with versionId, delete markers, Suspended `null` versions, Copy from a version,
 * Delete Multiple Objects with VersionId, GET ?versions — through the official
 * `cos-nodejs-sdk-v5` and raw requests, every error with its COS code and `<Error>` body. Runs on
 * the durable store (the memory store passes the same store contract).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { formBody, postForm, signedFields } from './support/post-form.js';
import { errorCode, type RawResponse, rawRequest } from './support/raw.js';

const versioning = (status: string) =>
  `<VersioningConfiguration><Status>${status}</Status></VersioningConfiguration>`;

describe('bucket versioning', () => {
  let h: Harness;
  const Bucket = bucketName();
  const raw = (r: Omit<Parameters<typeof rawRequest>[0], 'port' | 'bucket'> & { bucket?: string }) =>
    rawRequest({ port: h.server.port, bucket: Bucket, ...r });
  const header = (res: RawResponse, name: string) => res.headers[name] as string | undefined;
  const put = async (key: string, body: string) => {
    const res = await raw({ method: 'PUT', key, body });
    assert.equal(res.status, 200, res.text);
    return header(res, 'x-cos-version-id');
  };
  const get = (key: string, versionId?: string) =>
    raw({ method: 'GET', key, query: versionId === undefined ? {} : { versionId } });
  const setVersioning = async (status: 'Enabled' | 'Suspended', bucket = Bucket) => {
    const r = await call(h.cos, 'putBucketVersioning', {
      Bucket: bucket,
      Region: REGION,
      VersioningConfiguration: { Status: status },
    });
    assert.equal(r.err, null);
  };

  before(async () => {
    h = await startHarness();
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
  });
  after(() => h.close());

  test('PUT/GET ?versioning through the official SDK; never back to unversioned; bad bodies are MalformedXML', async () => {
    const other = bucketName();
    await call(h.cos, 'putBucket', { Bucket: other, Region: REGION });
    const before = await call(h.cos, 'getBucketVersioning', { Bucket: other, Region: REGION });
    assert.equal(before.err, null);
    assert.deepEqual(before.data.VersioningConfiguration, {});
    const empty = await raw({ method: 'GET', bucket: other, query: { versioning: '' } });
    assert.match(
      empty.text,
      /<VersioningConfiguration\/>|<VersioningConfiguration><\/VersioningConfiguration>/,
    );
    await setVersioning('Enabled', other);
    assert.equal(
      (await call(h.cos, 'getBucketVersioning', { Bucket: other, Region: REGION })).data
        .VersioningConfiguration.Status,
      'Enabled',
    );
    await setVersioning('Suspended', other);
    assert.equal(
      (await call(h.cos, 'getBucketVersioning', { Bucket: other, Region: REGION })).data
        .VersioningConfiguration.Status,
      'Suspended',
    );
    for (const body of [
      versioning('Disabled'),
      versioning(''),
      '<VersioningConfiguration/>',
      '<Versioning><Status>Enabled</Status></Versioning>',
      'not xml',
    ]) {
      const r = await raw({ method: 'PUT', bucket: other, query: { versioning: '' }, body });
      assert.equal(r.status, 400, body);
      assert.equal(errorCode(r), 'MalformedXML', body);
      assert.match(r.text, /<RequestId>[^<]+<\/RequestId>/);
    }
    const noBody = await raw({ method: 'PUT', bucket: other, query: { versioning: '' } });
    assert.equal(errorCode(noBody), 'MissingRequestBodyError');
    const missing = await raw({
      method: 'PUT',
      bucket: 'nosuch-1250000000',
      query: { versioning: '' },
      body: versioning('Enabled'),
    });
    assert.equal(missing.status, 404);
    assert.equal(errorCode(missing), 'NoSuchBucket');
    assert.equal(
      errorCode(await raw({ method: 'GET', bucket: 'nosuch-1250000000', query: { versioning: '' } })),
      'NoSuchBucket',
    );
    assert.equal(
      (await call(h.cos, 'getBucketVersioning', { Bucket: other, Region: REGION })).data
        .VersioningConfiguration.Status,
      'Suspended',
      'a refused PUT changes nothing',
    );
    // Unsigned: not for anonymous callers.
    const anon = await raw({ method: 'GET', bucket: other, query: { versioning: '' }, sign: false });
    assert.equal(errorCode(anon), 'AccessDenied');
  });

  test('writes answer x-cos-version-id; GET/HEAD by versionId; delete markers; the plain listing shows only the latest', async () => {
    const before = await put('doc', 'zero');
    assert.equal(before, undefined, 'no version header before versioning');
    await setVersioning('Enabled');
    const v1 = await put('doc', 'one');
    const v2 = await put('doc', 'two');
    assert.ok(v1 && v2 && v1 !== v2 && v1 !== 'null');
    assert.equal((await get('doc')).text, 'two');
    assert.equal(header(await get('doc'), 'x-cos-version-id'), v2);
    assert.equal((await get('doc', v1)).text, 'one');
    assert.equal((await get('doc', 'null')).text, 'zero');
    assert.equal(header(await get('doc', 'null'), 'x-cos-version-id'), 'null');
    const head = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'doc', VersionId: v1 });
    assert.equal(head.err, null);
    assert.equal(head.data.headers['x-cos-version-id'], v1);
    assert.equal(head.data.headers['content-length'], '3');
    const sdkGet = await call(h.cos, 'getObject', { Bucket, Region: REGION, Key: 'doc', VersionId: v1 });
    assert.equal(sdkGet.data.Body.toString(), 'one');
    // Errors: a malformed ID is 400, an unknown one 404 NoSuchVersion — also on HEAD (status only).
    const bad = await get('doc', 'not-a-version!');
    assert.equal(bad.status, 400);
    assert.equal(errorCode(bad), 'InvalidArgument');
    const unknown = await get('doc', 'MTg0NDUx');
    assert.equal(unknown.status, 404);
    assert.equal(errorCode(unknown), 'NoSuchVersion');
    assert.match(unknown.text, /<Resource>[^<]+<\/Resource>/);
    assert.equal((await raw({ method: 'HEAD', key: 'doc', query: { versionId: 'MTg0NDUx' } })).status, 404);
    // DELETE without versionId: a delete marker; the key reads 404 NoSuchKey with the marker's headers.
    const del = await call(h.cos, 'deleteObject', { Bucket, Region: REGION, Key: 'doc' });
    assert.equal(del.err, null);
    const markerId = del.data.headers['x-cos-version-id'] as string;
    assert.equal(del.data.headers['x-cos-delete-marker'], 'true');
    assert.ok(markerId && markerId !== v2);
    const hidden = await get('doc');
    assert.equal(hidden.status, 404);
    assert.equal(errorCode(hidden), 'NoSuchKey');
    assert.equal(header(hidden, 'x-cos-delete-marker'), 'true');
    assert.equal(header(hidden, 'x-cos-version-id'), markerId);
    const headHidden = await raw({ method: 'HEAD', key: 'doc' });
    assert.equal(headHidden.status, 404);
    assert.equal(header(headHidden, 'x-cos-delete-marker'), 'true');
    // The marker itself by versionId: 405 MethodNotAllowed, as S3 and COS answer.
    const ofMarker = await get('doc', markerId);
    assert.equal(ofMarker.status, 405);
    assert.equal(errorCode(ofMarker), 'MethodNotAllowed');
    assert.equal(header(ofMarker, 'x-cos-delete-marker'), 'true');
    assert.equal((await get('doc', v2)).text, 'two', 'older versions stay readable');
    const listed = await call(h.cos, 'getBucket', { Bucket, Region: REGION, Prefix: 'doc' });
    assert.deepEqual(listed.data.Contents, []);
    // DELETE of the marker by versionId brings the key back.
    const undelete = await raw({ method: 'DELETE', key: 'doc', query: { versionId: markerId } });
    assert.equal(undelete.status, 204);
    assert.equal(header(undelete, 'x-cos-delete-marker'), 'true');
    assert.equal(header(undelete, 'x-cos-version-id'), markerId);
    assert.equal((await get('doc')).text, 'two');
    const contents = (await call(h.cos, 'getBucket', { Bucket, Region: REGION, Prefix: 'doc' })).data
      .Contents;
    assert.deepEqual(
      contents.map((c: { Key: string; Size: string }) => [c.Key, c.Size]),
      [['doc', '3']],
    );
    // DELETE of a version for good (official SDK), then of an unknown one.
    const gone = await call(h.cos, 'deleteObject', { Bucket, Region: REGION, Key: 'doc', VersionId: v2 });
    assert.equal(gone.err, null);
    assert.equal(gone.data.headers['x-cos-version-id'], v2);
    assert.equal((await get('doc')).text, 'one', 'the next newest version is current');
    assert.equal((await get('doc', v2)).status, 404);
    const again = await raw({ method: 'DELETE', key: 'doc', query: { versionId: v2 } });
    assert.equal(again.status, 404);
    assert.equal(errorCode(again), 'NoSuchVersion');
    assert.equal(
      errorCode(await raw({ method: 'DELETE', key: 'doc', query: { versionId: '%%' } })),
      'InvalidArgument',
    );
    // DELETE Bucket refuses while versions remain.
    const rb = await raw({ method: 'DELETE', key: '' });
    assert.equal(rb.status, 409);
    assert.equal(errorCode(rb), 'BucketNotEmpty');
  });

  test('Complete, Copy (from a version) and POST Object create versions; APPEND is refused; forbid-overwrite is ignored', async () => {
    await setVersioning('Enabled');
    const src1 = await put('src', 'source one');
    await put('src', 'source two');
    const copy = await call(h.cos, 'putObjectCopy', {
      Bucket,
      Region: REGION,
      Key: 'copied',
      CopySource: `${Bucket}.cos.${REGION}.myqcloud.com/src?versionId=${src1}`,
    });
    assert.equal(copy.err, null);
    assert.equal(copy.data.headers['x-cos-copy-source-version-id'], src1);
    const copyVersion = copy.data.headers['x-cos-version-id'] as string;
    assert.ok(copyVersion && copyVersion !== src1);
    assert.equal((await get('copied')).text, 'source one');
    const copyErrors: [string, number, string][] = [
      [`src?versionId=MTg0NDUx`, 404, 'NoSuchVersion'],
      [`src?versionId=bad!id`, 400, 'InvalidArgument'],
    ];
    for (const [suffix, status, code] of copyErrors) {
      const r = await raw({
        method: 'PUT',
        key: 'copied2',
        headers: { 'x-cos-copy-source': `${Bucket}.cos.${REGION}.myqcloud.com/${suffix}` },
      });
      assert.equal(r.status, status, suffix);
      assert.equal(errorCode(r), code, suffix);
    }
    // Multipart: Complete answers the new version's ID.
    const init = await call(h.cos, 'multipartInit', { Bucket, Region: REGION, Key: 'mp' });
    const part = await call(h.cos, 'multipartUpload', {
      Bucket,
      Region: REGION,
      Key: 'mp',
      UploadId: init.data.UploadId,
      PartNumber: 1,
      Body: 'the only part',
    });
    const done = await call(h.cos, 'multipartComplete', {
      Bucket,
      Region: REGION,
      Key: 'mp',
      UploadId: init.data.UploadId,
      Parts: [{ PartNumber: 1, ETag: part.data.ETag }],
    });
    assert.equal(done.err, null);
    const mpVersion = done.data.headers['x-cos-version-id'] as string;
    assert.ok(mpVersion && mpVersion !== 'null');
    assert.equal(header(await get('mp'), 'x-cos-version-id'), mpVersion);
    // POST Object (a form upload) writes a version too.
    const form = await postForm({
      port: h.server.port,
      bucket: Bucket,
      body: formBody(signedFields(Bucket, { key: 'mp' }), { bytes: Buffer.from('from a form') }),
    });
    assert.equal(form.status, 204, form.text);
    const formVersion = header(form, 'x-cos-version-id');
    assert.ok(formVersion && formVersion !== mpVersion);
    assert.equal((await get('mp')).text, 'from a form');
    assert.equal((await get('mp', mpVersion)).text, 'the only part');
    // APPEND is not for buckets with versioning (COS doc 7741).
    const append = await raw({
      method: 'POST',
      key: 'log',
      query: { append: '', position: '0' },
      body: 'x',
    });
    assert.equal(append.status, 400);
    assert.equal(errorCode(append), 'InvalidRequest');
    assert.equal((await get('log')).status, 404);
    // x-cos-forbid-overwrite is ignored on a bucket that has had versioning: a new version.
    const forbidden = await raw({
      method: 'PUT',
      key: 'src',
      body: 'source three',
      headers: { 'x-cos-forbid-overwrite': 'true' },
    });
    assert.equal(forbidden.status, 200, forbidden.text);
    assert.equal((await get('src')).text, 'source three');
  });

  test('Suspended writes the null version; Delete Multiple Objects with VersionId, DeleteMarker and DeleteMarkerVersionId', async () => {
    await setVersioning('Enabled');
    const kept = await put('s', 'kept');
    await setVersioning('Suspended');
    assert.equal(await put('s', 'null one'), 'null');
    assert.equal(await put('s', 'null two'), 'null');
    assert.equal((await get('s', 'null')).text, 'null two');
    assert.equal((await get('s', kept)).text, 'kept');
    await setVersioning('Enabled');
    const a1 = await put('m/a', 'a1');
    const b1 = await put('m/b', 'b1');
    const objects = [
      { Key: 'm/a' },
      { Key: 'm/b', VersionId: b1 },
      { Key: 'm/c', VersionId: 'MTg0NDUx' },
      { Key: 'm/d', VersionId: 'bad!' },
    ];
    const r = await call(h.cos, 'deleteMultipleObject', { Bucket, Region: REGION, Objects: objects });
    assert.equal(r.err, null);
    const deleted = r.data.Deleted as {
      Key: string;
      VersionId?: string;
      DeleteMarker?: string;
      DeleteMarkerVersionId?: string;
    }[];
    const a = deleted.find((d) => d.Key === 'm/a')!;
    assert.equal(a.DeleteMarker, 'true');
    assert.ok(a.DeleteMarkerVersionId && a.DeleteMarkerVersionId !== a1);
    assert.equal(a.VersionId, undefined);
    const b = deleted.find((d) => d.Key === 'm/b')!;
    assert.equal(b.VersionId, b1);
    assert.equal(b.DeleteMarker, undefined);
    const errors = r.data.Error as { Key: string; Code: string }[];
    assert.deepEqual(errors.map((e) => [e.Key, e.Code]).sort(), [
      ['m/c', 'NoSuchVersion'],
      ['m/d', 'InvalidArgument'],
    ]);
    assert.equal((await get('m/a')).status, 404);
    assert.equal((await get('m/a', a1)).text, 'a1');
    assert.equal((await get('m/b', b1)).status, 404);
    // Removing the delete marker through the batch: DeleteMarker with its own ID.
    const body = `<Delete><Object><Key>m/a</Key><VersionId>${a.DeleteMarkerVersionId}</VersionId></Object></Delete>`;
    const md5 = createHash('md5').update(body).digest('base64');
    const undo = await raw({ method: 'POST', query: { delete: '' }, body, headers: { 'content-md5': md5 } });
    assert.match(
      undo.text,
      new RegExp(
        `<Deleted><Key>m/a</Key><VersionId>${a.DeleteMarkerVersionId}</VersionId><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>${a.DeleteMarkerVersionId}</DeleteMarkerVersionId></Deleted>`,
      ),
    );
    assert.equal((await get('m/a')).text, 'a1');
  });

  test('GET ?versions: official SDK listObjectVersions, paging by both markers, prefix, delimiter, encoding-type, errors', async () => {
    const bucket = bucketName();
    await call(h.cos, 'putBucket', { Bucket: bucket, Region: REGION });
    const putIn = async (key: string, body: string) => {
      const res = await rawRequest({ port: h.server.port, method: 'PUT', bucket, key, body });
      return header(res, 'x-cos-version-id');
    };
    await putIn('a', 'legacy');
    await setVersioning('Enabled', bucket);
    const ids: Record<string, string[]> = { a: ['null'] };
    for (const key of ['a', 'a', 'dir/x', 'dir/y', 'dir/x', 'k 空格', 'z']) {
      const id = (await putIn(key, `${key}!`))!;
      ids[key] = [id, ...(ids[key] ?? [])];
    }
    const marker = await call(h.cos, 'deleteObject', { Bucket: bucket, Region: REGION, Key: 'z' });
    ids.z!.unshift(`DM:${marker.data.headers['x-cos-version-id']}`);
    const expected = ['a', 'dir/x', 'dir/y', 'k 空格', 'z'].flatMap((key) =>
      ids[key]!.map((id) => `${key} ${id}`),
    );

    const all = await call(h.cos, 'listObjectVersions', { Bucket: bucket, Region: REGION });
    assert.equal(all.err, null);
    assert.equal(all.data.IsTruncated, 'false');
    assert.equal(all.data.Versions.length + all.data.DeleteMarkers.length, expected.length);
    const latest = all.data.Versions.filter((v: { IsLatest: string }) => v.IsLatest === 'true').map(
      (v: { Key: string }) => v.Key,
    );
    assert.deepEqual(latest, ['a', 'dir/x', 'dir/y', 'k 空格']);
    assert.equal(all.data.DeleteMarkers[0].Key, 'z');
    assert.equal(all.data.DeleteMarkers[0].IsLatest, 'true');
    const legacy = all.data.Versions.find((v: { VersionId: string }) => v.VersionId === 'null');
    assert.equal(legacy.Key, 'a');
    assert.equal(legacy.Size, '6');
    assert.equal(legacy.ETag, `"${createHash('md5').update('legacy').digest('hex')}"`);

    // Page by two, following NextKeyMarker/NextVersionIdMarker, with encoding-type=url (raw).
    const seen: string[] = [];
    let keyMarker = '';
    let versionIdMarker = '';
    for (let pages = 0; pages < 20; pages++) {
      const res = await rawRequest({
        port: h.server.port,
        method: 'GET',
        bucket,
        query: {
          versions: '',
          'max-keys': '2',
          'encoding-type': 'url',
          ...(keyMarker ? { 'key-marker': keyMarker } : {}),
          ...(versionIdMarker ? { 'version-id-marker': versionIdMarker } : {}),
        },
      });
      assert.equal(res.status, 200, res.text);
      assert.match(res.text, /<EncodingType>url<\/EncodingType>/);
      for (const m of res.text.matchAll(/<(Version|DeleteMarker)><Key>([^<]*)<\/Key><VersionId>([^<]*)</g)) {
        seen.push(`${decodeURIComponent(m[2]!)} ${m[1] === 'DeleteMarker' ? 'DM:' : ''}${m[3]}`);
      }
      if (!res.text.includes('<IsTruncated>true</IsTruncated>')) break;
      keyMarker = decodeURIComponent(/<NextKeyMarker>([^<]*)</.exec(res.text)![1]!);
      versionIdMarker = /<NextVersionIdMarker>([^<]*)</.exec(res.text)?.[1] ?? '';
    }
    assert.deepEqual(seen, expected);
    assert.match(seen.join(','), /k 空格/);

    // Prefix and delimiter through the official SDK.
    const rolled = await call(h.cos, 'listObjectVersions', {
      Bucket: bucket,
      Region: REGION,
      Delimiter: '/',
    });
    assert.deepEqual(
      // The SDK leaves a single CommonPrefixes element unwrapped.
      [rolled.data.CommonPrefixes]
        .flat()
        .map((p: { Prefix: string }) => p.Prefix),
      ['dir/'],
    );
    const under = await call(h.cos, 'listObjectVersions', {
      Bucket: bucket,
      Region: REGION,
      Prefix: 'dir/',
      MaxKeys: 1000,
    });
    assert.deepEqual(
      under.data.Versions.map((v: { Key: string; VersionId: string }) => `${v.Key} ${v.VersionId}`),
      expected.filter((e) => e.startsWith('dir/')),
    );
    // The plain listing still shows only the latest non-marker versions.
    const plain = await call(h.cos, 'getBucket', { Bucket: bucket, Region: REGION });
    assert.deepEqual(
      plain.data.Contents.map((c: { Key: string }) => c.Key),
      ['a', 'dir/x', 'dir/y', 'k 空格'],
    );

    const errors: [Record<string, string>, number, string][] = [
      [{ 'max-keys': '1001' }, 400, 'InvalidArgument'],
      [{ 'max-keys': 'x' }, 400, 'InvalidArgument'],
      [{ 'key-marker': 'a', 'version-id-marker': 'not!valid' }, 400, 'InvalidArgument'],
      [{ 'version-id-marker': 'MTg0NDUx' }, 400, 'InvalidArgument'],
      [{ 'encoding-type': 'base64' }, 400, 'InvalidArgument'],
      [{ prefix: 'p'.repeat(900) }, 400, 'KeyTooLong'],
    ];
    for (const [query, status, code] of errors) {
      const res = await rawRequest({
        port: h.server.port,
        method: 'GET',
        bucket,
        query: { versions: '', ...query },
      });
      assert.equal(res.status, status, JSON.stringify(query));
      assert.equal(errorCode(res), code, JSON.stringify(query));
    }
    const missing = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: 'nosuch-1250000000',
      query: { versions: '' },
    });
    assert.equal(errorCode(missing), 'NoSuchBucket');
    // Only GET at the bucket level: PUT ?versions and an object-level ?versions are 405.
    assert.equal(
      errorCode(await rawRequest({ port: h.server.port, method: 'PUT', bucket, query: { versions: '' } })),
      'MethodNotAllowed',
    );
    assert.equal(
      errorCode(
        await rawRequest({ port: h.server.port, method: 'GET', bucket, key: 'a', query: { versions: '' } }),
      ),
      'MethodNotAllowed',
    );

    // Emptied version by version, the bucket can go.
    for (const v of all.data.Versions) {
      const r = await call(h.cos, 'deleteObject', {
        Bucket: bucket,
        Region: REGION,
        Key: v.Key,
        VersionId: v.VersionId,
      });
      assert.equal(r.err, null);
    }
    for (const d of all.data.DeleteMarkers) {
      await call(h.cos, 'deleteObject', {
        Bucket: bucket,
        Region: REGION,
        Key: d.Key,
        VersionId: d.VersionId,
      });
    }
    const left = await call(h.cos, 'listObjectVersions', { Bucket: bucket, Region: REGION });
    assert.deepEqual([...left.data.Versions, ...left.data.DeleteMarkers], []);
    assert.equal((await call(h.cos, 'deleteBucket', { Bucket: bucket, Region: REGION })).err, null);
  });
});
