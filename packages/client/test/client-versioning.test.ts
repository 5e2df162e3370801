/**
 * The versioning methods of CosS3Client against coskit serve (issue 11 item 5):
 * putBucketVersioning/getBucketVersioning, listObjectsVersions (paged by both markers), the
 * VersionId of getObject/headObject/deleteObject/copyObject, delete markers, and the VersionId
 * uploadFile returns for a single PUT and a multipart upload. Invalid arguments fail before any
 * request.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CosClientError, CosServiceError } from '../src/index.js';
import { bucketName, REGION, readAll, rejection } from './support/client-harness.js';
import { MiB, startTransferHarness, type TransferHarness } from './support/transfer-harness.js';

let h: TransferHarness;
const Bucket = bucketName('ver');

before(async () => {
  h = await startTransferHarness();
  await h.client.createBucket({ Bucket });
});
after(() => h.close());

const text = async (Key: string, VersionId?: string) =>
  (
    await readAll((await h.client.getObject({ Bucket, Key, ...(VersionId ? { VersionId } : {}) })).Body)
  ).toString();

describe('bucket versioning through @coskit/client', () => {
  test('Status round-trips; never-versioned has none; a bad Status fails before any request', async () => {
    assert.equal((await h.client.getBucketVersioning({ Bucket })).Status, undefined);
    await h.client.putBucketVersioning({ Bucket, Status: 'Enabled' });
    assert.equal((await h.client.getBucketVersioning({ Bucket })).Status, 'Enabled');
    const err = await rejection(
      h.client.putBucketVersioning({ Bucket, Status: 'Disabled' as unknown as 'Enabled' }),
    );
    assert.ok(err instanceof CosClientError);
    assert.match(err.message, /Enabled.*Suspended/);
    for (const bad of ['', 7]) {
      const e = await rejection(h.client.getObject({ Bucket, Key: 'x', VersionId: bad as string }));
      assert.ok(e instanceof CosClientError, String(e));
      assert.match(e.message, /VersionId/);
    }
    const e = await rejection(h.client.listObjectsVersions({ Bucket, VersionIdMarker: 'abc' }));
    assert.ok(e instanceof CosClientError);
    assert.match(e.message, /KeyMarker/);
  });

  test('versions by VersionId on get/head/delete/copy; delete markers; listObjectsVersions pages', async () => {
    await h.client.putBucketVersioning({ Bucket, Status: 'Enabled' });
    const v1 = (await h.client.putObject({ Bucket, Key: 'k', Body: 'one' }))['x-cos-version-id']!;
    const v2 = (await h.client.putObject({ Bucket, Key: 'k', Body: 'two' }))['x-cos-version-id']!;
    assert.ok(v1 && v2 && v1 !== v2);
    assert.equal(await text('k'), 'two');
    assert.equal(await text('k', v1), 'one');
    const head = await h.client.headObject({ Bucket, Key: 'k', VersionId: v1 });
    assert.equal(head['x-cos-version-id'], v1);
    assert.equal(head['Content-Length'], 3);
    const copy = await h.client.copyObject({
      Bucket,
      Key: 'restored',
      CopySource: { Bucket, Region: REGION, Key: 'k', VersionId: v1 },
    });
    assert.ok(copy['x-cos-version-id']);
    assert.equal(await text('restored'), 'one');
    const marker = await h.client.deleteObject({ Bucket, Key: 'k' });
    assert.equal(marker['x-cos-delete-marker'], 'true');
    const markerId = marker['x-cos-version-id']!;
    const hidden = await rejection(h.client.getObject({ Bucket, Key: 'k' }));
    assert.ok(hidden instanceof CosServiceError);
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.errorCode, 'NoSuchKey');
    const unknown = await rejection(h.client.getObject({ Bucket, Key: 'k', VersionId: 'MTg0NDUx' }));
    assert.ok(unknown instanceof CosServiceError);
    assert.equal(unknown.errorCode, 'NoSuchVersion');

    // Every entry, two per page, following both Next markers.
    const seen: string[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await h.client.listObjectsVersions({ Bucket, MaxKeys: 2, KeyMarker, VersionIdMarker });
      for (const d of page.DeleteMarker) seen.push(`${d.Key} DM ${d.VersionId} ${d.IsLatest}`);
      for (const v of page.Version) seen.push(`${v.Key} ${v.VersionId} ${v.IsLatest}`);
      if (!page.IsTruncated) break;
      KeyMarker = page.NextKeyMarker;
      VersionIdMarker = page.NextVersionIdMarker;
    }
    assert.deepEqual(seen, [
      `k DM ${markerId} true`,
      `k ${v2} false`,
      `k ${v1} false`,
      `restored ${copy['x-cos-version-id']} true`,
    ]);
    // Deleting the marker for good brings v2 back.
    const undo = await h.client.deleteObject({ Bucket, Key: 'k', VersionId: markerId });
    assert.equal(undo['x-cos-version-id'], markerId);
    assert.equal(await text('k'), 'two');
  });

  test('uploadFile returns the VersionId of a single PUT and of a multipart upload', async () => {
    await h.client.putBucketVersioning({ Bucket, Status: 'Enabled' });
    const small = await h.file('ver-small', 1000);
    const whole = await h.client.uploadFile({ Bucket, Key: 'up', LocalFilePath: small.path });
    assert.ok(whole.VersionId && whole.VersionId !== 'null');
    const big = await h.file('ver-big', 2 * MiB + 7);
    const multi = await h.client.uploadFile({
      Bucket,
      Key: 'up',
      LocalFilePath: big.path,
      PartSize: 1,
      MultipartThreshold: MiB,
      CheckpointDir: join(h.dir, 'ver-checkpoints'),
    });
    assert.ok(multi.UploadId);
    assert.ok(multi.VersionId && multi.VersionId !== whole.VersionId);
    const head = await h.client.headObject({ Bucket, Key: 'up' });
    assert.equal(head['x-cos-version-id'], multi.VersionId);
    assert.equal(
      (await h.client.headObject({ Bucket, Key: 'up', VersionId: whole.VersionId })).ETag,
      whole.ETag,
    );
    await h.client.putBucketVersioning({ Bucket, Status: 'Suspended' });
    const suspended = await h.client.uploadFile({ Bucket, Key: 'up', LocalFilePath: small.path });
    assert.equal(suspended.VersionId, 'null');
  });
});
