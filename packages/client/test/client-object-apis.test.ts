/**
 * The object-API methods of CosS3Client (issue #11) against coskit serve: copyObject,
 * deleteObjects, putObjectAcl/getObjectAcl, put/get/deleteObjectTagging, the Tagging and
 * ForbidOverwrite parameters of uploads — results, COS errors as CosServiceError, and invalid
 * arguments refused before any request (the proxy counts none).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CosClientError, CosServiceError } from '../src/index.js';
import {
  bucketName,
  type ClientHarness,
  readAll,
  rejection,
  startClientHarness,
} from './support/client-harness.js';

let h: ClientHarness;
const Bucket = bucketName('oa');
const Region = 'ap-guangzhou';
const text = async (Key: string) =>
  (await readAll((await h.client.getObject({ Bucket, Key })).Body)).toString();

before(async () => {
  h = await startClientHarness();
  await h.client.createBucket({ Bucket });
});
after(() => h.close());

/** Asserts the call (made through the counting proxy) is refused here, naming what to change, with no request sent. */
async function refusedLocally(call: () => Promise<unknown>, message: RegExp): Promise<void> {
  const before = h.proxy.requests.length;
  const err = await rejection(call());
  assert.ok(err instanceof CosClientError, `expected CosClientError, got ${String(err)}`);
  assert.equal(err.code, 'COS_INVALID_ARGUMENT');
  assert.match(err.message, message);
  assert.equal(h.proxy.requests.length, before, 'no request may be sent');
}

describe('copyObject', () => {
  test('copies bytes and metadata; Replaced onto itself changes metadata and class', async () => {
    const put = await h.client.putObject({
      Bucket,
      Key: 'c/src',
      Body: 'copy me',
      ContentType: 'text/x-a',
      Metadata: { 'x-cos-meta-a': '1' },
    });
    const copy = await h.client.copyObject({
      Bucket,
      Key: 'c/dst 文',
      CopySource: { Bucket, Region, Key: 'c/src' },
    });
    assert.equal(copy.ETag, put.ETag);
    assert.equal(copy.CRC64, put['x-cos-hash-crc64ecma']);
    assert.equal(copy['x-cos-hash-crc64ecma'], put['x-cos-hash-crc64ecma']);
    assert.equal(copy.statusCode, 200);
    assert.equal(await text('c/dst 文'), 'copy me');
    const headDst = await h.client.headObject({ Bucket, Key: 'c/dst 文' });
    assert.equal(headDst['Content-Type'], 'text/x-a');
    assert.equal(headDst.Metadata['x-cos-meta-a'], '1');
    await h.client.copyObject({
      Bucket,
      Key: 'c/src',
      CopySource: { Bucket, Region, Key: 'c/src' },
      CopyStatus: 'Replaced',
      StorageClass: 'STANDARD_IA',
      Metadata: { 'x-cos-meta-b': '2' },
    });
    const headSrc = await h.client.headObject({ Bucket, Key: 'c/src' });
    assert.equal(headSrc['x-cos-storage-class'], 'STANDARD_IA');
    assert.deepEqual(headSrc.Metadata, { 'x-cos-meta-b': '2' });
  });

  test('service errors are CosServiceError; bad arguments fail before any I/O', async () => {
    const missing = await rejection(
      h.client.copyObject({ Bucket, Key: 'x', CopySource: { Bucket, Region, Key: 'c/none' } }),
    );
    assert.ok(missing instanceof CosServiceError);
    assert.equal(missing.errorCode, 'NoSuchCopySource');
    assert.equal(missing.statusCode, 404);
    const failed = await rejection(
      h.client.copyObject({
        Bucket,
        Key: 'x',
        CopySource: { Bucket, Region, Key: 'c/src' },
        CopySourceIfMatch: '"nope"',
      }),
    );
    assert.equal((failed as CosServiceError).errorCode, 'PreconditionFailed');
    await refusedLocally(
      () =>
        h.proxied.copyObject({
          Bucket,
          Key: 'x',
          CopySource: { Bucket, Region, Key: 'c/src' },
          CopyStatus: 'Merge' as 'Copy',
        }),
      /CopyStatus must be "Copy" or "Replaced"/,
    );
    await refusedLocally(
      () => h.proxied.copyObject({ Bucket, Key: 'x', CopySource: { Bucket, Key: 'c/src' } as never }),
      /CopySource.Region is required/,
    );
    await refusedLocally(
      () =>
        h.proxied.copyObject({
          Bucket,
          Key: 'x',
          CopySource: { Bucket, Region, Key: 'c/src' },
          Tagging: 'a#=1',
        }),
      /Tagging: Tag key "a#"/,
    );
  });
});

describe('deleteObjects', () => {
  test('deletes in one request, reports per-key errors, Quiet and url-encoded keys', async () => {
    const keys = ['d/1', 'd/文 2', "d/&'"];
    for (const Key of keys) await h.client.putObject({ Bucket, Key, Body: Key });
    const r = await h.client.deleteObjects({
      Bucket,
      Delete: { Object: [...keys.map((Key) => ({ Key })), { Key: 'd/1', VersionId: 'MTg0' }] },
      EncodingType: 'url',
    });
    assert.deepEqual(
      r.Deleted.map((d) => d.Key),
      keys,
    );
    assert.deepEqual(r.Error, [
      {
        Key: 'd/1',
        VersionId: 'MTg0',
        Code: 'NoSuchVersion',
        Message: 'The specified version does not exist.',
      },
    ]);
    for (const Key of keys)
      assert.equal(
        ((await rejection(h.client.headObject({ Bucket, Key }))) as CosServiceError).statusCode,
        404,
      );
    await h.client.putObject({ Bucket, Key: 'd/q', Body: 'q' });
    const quiet = await h.client.deleteObjects({
      Bucket,
      Delete: { Quiet: 'true', Object: [{ Key: 'd/q' }] },
    });
    assert.deepEqual([quiet.Deleted, quiet.Error], [[], []]);
  });

  test('arguments are checked before any I/O', async () => {
    await refusedLocally(
      () => h.proxied.deleteObjects({ Bucket, Delete: { Object: [] } }),
      /1 to 1000 objects/,
    );
    await refusedLocally(
      () =>
        h.proxied.deleteObjects({
          Bucket,
          Delete: { Object: Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` })) },
        }),
      /got 1001\. Split larger deletes into batches/,
    );
    await refusedLocally(
      () => h.proxied.deleteObjects({ Bucket, Delete: { Object: [{ Key: 'bell\u0007' }] } }),
      /delete that key with deleteObject/,
    );
    await refusedLocally(
      () => h.proxied.deleteObjects({ Bucket, Delete: { Object: [{ Key: 'k', VersionId: '' }] } }),
      /VersionId must be a non-empty string/,
    );
  });
});

describe('object ACL', () => {
  test('canned ACLs, grants and the AccessControlPolicy body round-trip through getObjectAcl', async () => {
    await h.client.putObject({ Bucket, Key: 'acl', Body: 'a' });
    assert.equal((await h.client.getObjectAcl({ Bucket, Key: 'acl' })).CannedACL, 'default');
    await h.client.putObjectAcl({ Bucket, Key: 'acl', ACL: 'public-read' });
    const pub = await h.client.getObjectAcl({ Bucket, Key: 'acl' });
    assert.equal(pub.CannedACL, 'public-read');
    assert.deepEqual(pub.AccessControlList.Grant.at(-1), {
      Grantee: { Type: 'Group', URI: 'http://cam.qcloud.com/groups/global/AllUsers' },
      Permission: 'READ',
    });
    await h.client.putObjectAcl({ Bucket, Key: 'acl', GrantRead: 'id="100000000011"' });
    const granted = await h.client.getObjectAcl({ Bucket, Key: 'acl' });
    assert.equal(granted.CannedACL, 'default', 'x-cos-acl defaults to default when only grants are given');
    assert.deepEqual(granted.AccessControlList.Grant.at(-1), {
      Grantee: {
        Type: 'CanonicalUser',
        ID: 'qcs::cam::uin/100000000011:uin/100000000011',
        DisplayName: '100000000011',
      },
      Permission: 'READ',
    });
    await h.client.putObjectAcl({
      Bucket,
      Key: 'acl',
      AccessControlPolicy: {
        Owner: granted.Owner,
        AccessControlList: {
          Grant: [
            {
              Grantee: { Type: 'Group', URI: 'http://cam.qcloud.com/groups/global/AllUsers' },
              Permission: 'READ',
            },
          ],
        },
      },
    });
    const body = await h.client.getObjectAcl({ Bucket, Key: 'acl' });
    assert.equal(body.CannedACL, 'public-read');
    assert.equal(body.AccessControlList.Grant.length, 1);
  });

  test('errors and argument checks', async () => {
    const missing = await rejection(h.client.getObjectAcl({ Bucket, Key: 'acl-none' }));
    assert.equal((missing as CosServiceError).errorCode, 'NoSuchKey');
    await refusedLocally(
      () => h.proxied.putObjectAcl({ Bucket, Key: 'acl', ACL: 'public-read-write' as 'private' }),
      /ACL must be one of/,
    );
    await refusedLocally(
      () => h.proxied.putObjectAcl({ Bucket, Key: 'acl' }),
      /needs ACL, a Grant\* parameter or AccessControlPolicy/,
    );
    await refusedLocally(
      () => h.proxied.putObjectAcl({ Bucket, Key: 'acl', GrantRead: 'alice' }),
      /GrantRead: x-cos-grant-read item/,
    );
    await refusedLocally(
      () =>
        h.proxied.putObjectAcl({
          Bucket,
          Key: 'acl',
          ACL: 'private',
          AccessControlPolicy: { Owner: { ID: 'x', DisplayName: '' }, AccessControlList: { Grant: [] } },
        }),
      /not both/,
    );
  });
});

describe('object tagging', () => {
  test('put/get/delete, the Tagging upload parameter, and HEAD with the count', async () => {
    await h.client.putObject({ Bucket, Key: 't', Body: 't', Tagging: 'a=1&%E9%83%A8=x%20y' });
    assert.deepEqual((await h.client.getObjectTagging({ Bucket, Key: 't' })).TagSet.Tag, [
      { Key: 'a', Value: '1' },
      { Key: '部', Value: 'x y' },
    ]);
    assert.equal((await h.client.headObject({ Bucket, Key: 't' })).headers['x-cos-tagging-count'], '2');
    await h.client.putObjectTagging({
      Bucket,
      Key: 't',
      Tagging: { TagSet: { Tag: [{ Key: 'only', Value: 'one' }] } },
    });
    assert.deepEqual((await h.client.getObjectTagging({ Bucket, Key: 't' })).TagSet.Tag, [
      { Key: 'only', Value: 'one' },
    ]);
    await h.client.deleteObjectTagging({ Bucket, Key: 't' });
    assert.deepEqual((await h.client.getObjectTagging({ Bucket, Key: 't' })).TagSet.Tag, []);
    const up = await h.client.createMultipartUpload({ Bucket, Key: 't-mp', Tagging: 'mp=yes' });
    const part = await h.client.uploadPart({
      Bucket,
      Key: 't-mp',
      UploadId: up.UploadId,
      PartNumber: 1,
      Body: 'p',
    });
    await h.client.completeMultipartUpload({
      Bucket,
      Key: 't-mp',
      UploadId: up.UploadId,
      MultipartUpload: { Part: [{ PartNumber: 1, ETag: part.ETag }] },
    });
    assert.deepEqual((await h.client.getObjectTagging({ Bucket, Key: 't-mp' })).TagSet.Tag, [
      { Key: 'mp', Value: 'yes' },
    ]);
  });

  test('tags are checked before any I/O, on uploads too', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await refusedLocally(
      () => h.proxied.putObjectTagging({ Bucket, Key: 't', Tagging: { TagSet: { Tag: eleven } } }),
      /11 tags given/,
    );
    await refusedLocally(
      () => h.proxied.putObjectTagging({ Bucket, Key: 't', Tagging: {} as never }),
      /Tagging must be \{ TagSet/,
    );
    await refusedLocally(
      () => h.proxied.putObject({ Bucket, Key: 't', Body: 'x', Tagging: 'k=v&k=w' }),
      /given twice/,
    );
    await refusedLocally(
      () => h.proxied.createMultipartUpload({ Bucket, Key: 't', Tagging: 'k=' }),
      /value of 0 characters/,
    );
    const missing = await rejection(h.client.getObjectTagging({ Bucket, Key: 't-none' }));
    assert.equal((missing as CosServiceError).errorCode, 'NoSuchKey');
  });
});

describe('ForbidOverwrite on uploads', () => {
  test('the second PUT is a 409 FileAlreadyExists CosServiceError and the bytes are the first', async () => {
    await h.client.putObject({ Bucket, Key: 'nc', Body: 'first', ForbidOverwrite: 'true' });
    const err = await rejection(
      h.client.putObject({ Bucket, Key: 'nc', Body: 'second', ForbidOverwrite: 'true' }),
    );
    assert.ok(err instanceof CosServiceError);
    assert.equal(err.errorCode, 'FileAlreadyExists');
    assert.equal(err.statusCode, 409);
    assert.equal(await text('nc'), 'first');
  });
});

describe('restoreObject', () => {
  test('a cold object is accepted for restore (202); a warm one is InvalidObjectState; arguments checked first', async () => {
    await h.client.putObject({ Bucket, Key: 'r/cold', Body: 'c', StorageClass: 'ARCHIVE' });
    const r = await h.client.restoreObject({
      Bucket,
      Key: 'r/cold',
      RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Bulk' } },
    });
    assert.equal(r.statusCode, 202);
    assert.equal(
      (await h.client.headObject({ Bucket, Key: 'r/cold' })).headers['x-cos-restore'],
      'ongoing-request="true"',
    );
    await h.client.putObject({ Bucket, Key: 'r/warm', Body: 'w' });
    const warm = await rejection(
      h.client.restoreObject({ Bucket, Key: 'r/warm', RestoreRequest: { Days: 1 } }),
    );
    assert.equal((warm as CosServiceError).errorCode, 'InvalidObjectState');
    await refusedLocally(
      () => h.proxied.restoreObject({ Bucket, Key: 'r/cold', RestoreRequest: { Days: 0 } }),
      /Days must be an integer from 1 to 365/,
    );
    await refusedLocally(
      () =>
        h.proxied.restoreObject({
          Bucket,
          Key: 'r/cold',
          RestoreRequest: { Days: 1, CASJobParameters: { Tier: 'Fast' as 'Bulk' } },
        }),
      /Tier must be one of Expedited, Standard, Bulk/,
    );
  });
});
