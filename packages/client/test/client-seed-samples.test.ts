/**
 * Each Python sample of the seed (the COS "upload object" page), ported line by line to
 * TypeScript and run against coskit serve; the response keys the seed documents must be there with
 * the right types. (upload_file and the batch-folder sample are covered by the transfer tests.)
 */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CosConfig, CosS3Client } from '../src/index.js';
import { md5Base64, REGION, SECRET_ID, SECRET_KEY, startClientHarness } from './support/client-harness.js';

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'string?';

/** Asserts that `value` has each key with the given type (`string?`: absent or a string). */
function assertShape(value: unknown, shape: Record<string, Kind>, where: string): void {
  const record = value as Record<string, unknown>;
  for (const [key, kind] of Object.entries(shape)) {
    const v = record[key];
    if (kind === 'string?') {
      assert.ok(v === undefined || typeof v === 'string', `${where}.${key} is absent or a string`);
    } else if (kind === 'array') {
      assert.ok(Array.isArray(v), `${where}.${key} is an array`);
    } else if (kind === 'object') {
      assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `${where}.${key} is an object`);
    } else {
      assert.equal(typeof v, kind, `${where}.${key} is a ${kind}`);
    }
  }
}

const OWNER_SHAPE = { DisplayName: 'string', ID: 'string' } as const;

describe('seed samples, ported', () => {
  let h: Awaited<ReturnType<typeof startClientHarness>>;
  let client: CosS3Client;
  before(async () => {
    h = await startClientHarness();
    // 1. Set user attributes such as secret_id, secret_key, and region.
    const secret_id = SECRET_ID; // Replace it with your real SecretId
    const secret_key = SECRET_KEY; // Replace it with your real SecretKey
    const region = REGION; // Replace it with your real region information
    const token = undefined; // token is required for temporary keys but not permanent keys
    const scheme = 'http'; // https by default; the local server speaks http
    const config = new CosConfig({
      Region: region,
      SecretId: secret_id,
      SecretKey: secret_key,
      Token: token,
      Scheme: scheme,
      // Not in the seed: connect to the local server instead of real COS.
      IP: '127.0.0.1',
      Port: h.server.port,
    });
    client = new CosS3Client(config);
    await client.createBucket({ Bucket: 'examplebucket-1250000000' });
    await client.createBucket({ Bucket: 'sourcebucket-1250000000' });
    await writeFile(join(h.dir, 'test.txt'), 'test file content\n');
    await writeFile(join(h.dir, 'local.txt'), 'local file content\n');
    await writeFile(join(h.dir, 'test.bin'), Buffer.alloc(64 * 1024, 1));
  });
  after(async () => {
    client.destroy();
    await h.close();
  });
  const path = (name: string) => join(h.dir, name);

  test('Sample 1: uploading a file in whole (file stream, bytes, local file, HTTP header, custom header, traffic limit)', async () => {
    // File stream (upload in whole)
    const file_name = 'test.txt';
    {
      const fp = createReadStream(path('test.txt'));
      const response = await client.putObject({
        Bucket: 'examplebucket-1250000000', // Bucket name in the format of BucketName-APPID.
        Body: fp,
        Key: file_name,
        StorageClass: 'STANDARD',
        ContentType: 'text/html; charset=utf-8',
      });
      assertShape(response, { ETag: 'string' }, 'file stream');
    }
    // Byte stream (upload in whole)
    let response = await client.putObject({
      Bucket: 'examplebucket-1250000000',
      Body: Buffer.from('abcdefg'),
      Key: file_name,
    });
    assertShape(response, { ETag: 'string' }, 'bytes');
    // Local path (upload in whole)
    response = await client.putObjectFromLocalFile({
      Bucket: 'examplebucket-1250000000',
      LocalFilePath: path('local.txt'),
      Key: file_name,
    });
    assertShape(response, { ETag: 'string' }, 'local file');
    // HTTP header (upload in whole)
    response = await client.putObject({
      Bucket: 'examplebucket-1250000000',
      Body: Buffer.from('test'),
      Key: file_name,
      ContentType: 'text/html; charset=utf-8',
    });
    assertShape(response, { ETag: 'string' }, 'HTTP header');
    assert.equal(
      (await client.headObject({ Bucket: 'examplebucket-1250000000', Key: file_name }))['Content-Type'],
      'text/html; charset=utf-8',
    );
    // Custom header (upload in whole)
    response = await client.putObject({
      Bucket: 'examplebucket-1250000000',
      Body: Buffer.from('test'),
      Key: file_name,
      Metadata: {
        'x-cos-meta-key1': 'value1',
        'x-cos-meta-key2': 'value2',
      },
    });
    assertShape(response, { ETag: 'string' }, 'custom header');
    assert.deepEqual(
      (await client.headObject({ Bucket: 'examplebucket-1250000000', Key: file_name })).Metadata,
      { 'x-cos-meta-key1': 'value1', 'x-cos-meta-key2': 'value2' },
    );
    // Limit the upload speed
    {
      const fp = createReadStream(path('test.bin'));
      const response = await client.putObject({
        Bucket: 'examplebucket-1250000000',
        Key: 'exampleobject',
        Body: fp,
        TrafficLimit: '819200',
      });
      assertShape(response, { ETag: 'string' }, 'traffic limit');
    }
  });

  test('Sample 2: creating a directory', async () => {
    // Create a directory.
    const dir_to_create = 'path/to/create/dir/';
    const response = await client.putObject({
      Bucket: 'examplebucket-1250000000', // Bucket name in the format of BucketName-APPID.
      Key: dir_to_create,
      Body: Buffer.from(''),
    });
    assertShape(
      response,
      { ETag: 'string', statusCode: 'number', 'x-cos-request-id': 'string' },
      'directory',
    );
    const listing = await client.listObjects({
      Bucket: 'examplebucket-1250000000',
      Prefix: 'path/to/create/',
    });
    assert.deepEqual(
      listing.Contents.map((c) => c.Key),
      ['path/to/create/dir/'],
    );
  });

  test('Sample 3: uploading an object to a specified directory', async () => {
    const dir_name = 'path/to/dir/';
    const file_name = 'test.txt';
    const object_key = dir_name + file_name;
    const fp = createReadStream(path('test.txt'));
    const response = await client.putObject({
      Bucket: 'examplebucket-1250000000', // Bucket name in the format of BucketName-APPID.
      Body: fp,
      Key: object_key,
      StorageClass: 'STANDARD',
      ContentType: 'text/html; charset=utf-8',
    });
    assertShape(response, { ETag: 'string' }, 'to a directory');
    const listing = await client.listObjects({ Bucket: 'examplebucket-1250000000', Prefix: dir_name });
    assert.deepEqual(
      listing.Contents.map((c) => c.Key),
      [object_key],
    );
  });

  test('put_object: sample request with all parameters', async () => {
    const body = Buffer.from('bytes');
    const response = await client.putObject({
      Bucket: 'examplebucket-1250000000',
      Body: body,
      Key: 'exampleobject',
      EnableMD5: true,
      ACL: 'private', // Note that the allowed maximum number (1000) of ACLs may be reached if you use this parameter.
      GrantFullControl: 'id="100000000001"',
      GrantRead: 'id="100000000002"',
      StorageClass: 'STANDARD',
      Expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
      CacheControl: 'max-age=86400',
      ContentType: 'text/plain',
      ContentDisposition: 'attachment; filename="exampleobject"',
      ContentEncoding: 'identity',
      ContentLanguage: 'en-US',
      ContentLength: String(body.length), // the seed's '123' is a placeholder for the real length
      ContentMD5: md5Base64(body),
      Metadata: {
        'x-cos-meta-key1': 'value1',
        'x-cos-meta-key2': 'value2',
      },
      TrafficLimit: '1048576',
    });
    // { 'ETag': 'string', 'x-cos-version-id': 'string' } (the version id only on versioned buckets)
    assertShape(response, { ETag: 'string', 'x-cos-version-id': 'string?' }, 'put_object');
  });

  test('append_object: sample request and sample request with all parameters', async () => {
    let response = await client.appendObject({
      Bucket: 'examplebucket-1250000000',
      Key: 'appendobject',
      Position: 0,
      Data: Buffer.alloc(1024 * 1024, 'b'),
    });
    // { 'ETag': …, 'x-cos-next-append-position': '12', 'x-cos-request-id': … } — the position is a number here.
    assertShape(
      response,
      { ETag: 'string', 'x-cos-next-append-position': 'number', 'x-cos-request-id': 'string' },
      'append_object',
    );
    assert.equal(response['x-cos-next-append-position'], 1024 * 1024);
    // All parameters: Data may be bytes or a file.
    response = await client.appendObject({
      Bucket: 'examplebucket-1250000000',
      Key: 'appendobject-file',
      Position: 0,
      Data: createReadStream(path('test.txt')),
      ContentLength: 18, // a stream needs its length (APPEND has no chunked form)
    });
    assert.equal(response['x-cos-next-append-position'], 18);
    response = await client.appendObject({
      Bucket: 'examplebucket-1250000000',
      Key: 'appendobject-file',
      Position: response['x-cos-next-append-position'],
      Data: Buffer.from('bytes'),
    });
    assert.equal(response['x-cos-next-append-position'], 23);
  });

  // The multipart samples, in the seed's order, share one upload.
  let uploadid = '';
  const PART = Buffer.alloc(1024 * 1024, 'b');

  test('list_multipart_uploads: sample request and all parameters', async () => {
    // Something to list: two uploads under "dir".
    await client.createMultipartUpload({ Bucket: 'examplebucket-1250000000', Key: 'dir/one' });
    await client.createMultipartUpload({ Bucket: 'examplebucket-1250000000', Key: 'dir/sub/two' });
    let response = await client.listMultipartUploads({
      Bucket: 'examplebucket-1250000000',
      Prefix: 'dir',
    });
    assert.equal(response.Upload.length, 2);
    response = await client.listMultipartUploads({
      Bucket: 'examplebucket-1250000000',
      Prefix: 'dir/',
      Delimiter: '/',
      KeyMarker: '',
      UploadIdMarker: '',
      MaxUploads: 100,
      EncodingType: 'url',
    });
    assertShape(
      response,
      {
        Bucket: 'string',
        Prefix: 'string',
        Delimiter: 'string',
        KeyMarker: 'string',
        UploadIdMarker: 'string',
        NextKeyMarker: 'string',
        NextUploadIdMarker: 'string',
        MaxUploads: 'number',
        IsTruncated: 'boolean',
        EncodingType: 'string',
        Upload: 'array',
        CommonPrefixes: 'array',
      },
      'list_multipart_uploads',
    );
    assert.equal(response.Upload.length, 1);
    const [upload] = response.Upload;
    assertShape(
      upload,
      {
        UploadId: 'string',
        Key: 'string',
        Initiated: 'string',
        StorageClass: 'string',
        Owner: 'object',
        Initiator: 'object',
      },
      'Upload[0]',
    );
    assertShape(upload!.Owner, OWNER_SHAPE, 'Upload[0].Owner');
    assertShape(upload!.Initiator, OWNER_SHAPE, 'Upload[0].Initiator');
    assert.deepEqual(response.CommonPrefixes, [{ Prefix: 'dir/sub/' }]);
    assertShape(response.CommonPrefixes[0], { Prefix: 'string' }, 'CommonPrefixes[0]');
  });

  test('create_multipart_upload: sample request and all parameters', async () => {
    let response = await client.createMultipartUpload({
      Bucket: 'examplebucket-1250000000',
      Key: 'exampleobject',
      StorageClass: 'STANDARD',
    });
    assertShape(response, { UploadId: 'string', Bucket: 'string', Key: 'string' }, 'create_multipart_upload');
    await client.abortMultipartUpload({
      Bucket: 'examplebucket-1250000000',
      Key: 'exampleobject',
      UploadId: response.UploadId,
    });
    response = await client.createMultipartUpload({
      Bucket: 'examplebucket-1250000000',
      Key: 'multipart.txt',
      StorageClass: 'STANDARD_IA',
      Expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
      CacheControl: 'no-cache',
      ContentType: 'text/plain',
      ContentDisposition: 'inline',
      ContentEncoding: 'identity',
      ContentLanguage: 'en-US',
      Metadata: {
        'x-cos-meta-key1': 'value1',
        'x-cos-meta-key2': 'value2',
      },
      ACL: 'private',
      GrantFullControl: 'id="100000000001"',
      GrantRead: 'id="100000000002"',
    });
    // Get the UploadId for subsequent API calls.
    uploadid = response['UploadId'];
    assert.equal(response.Key, 'multipart.txt');
    assert.equal(response.Bucket, 'examplebucket-1250000000');
  });

  test('upload_part: sample request and all parameters', async () => {
    // Note: Up to 10,000 parts can be uploaded.
    let response = await client.uploadPart({
      Bucket: 'examplebucket-1250000000',
      Key: 'multipart.txt',
      Body: PART,
      PartNumber: 1,
      UploadId: uploadid,
    });
    assertShape(response, { ETag: 'string' }, 'upload_part');
    response = await client.uploadPart({
      Bucket: 'examplebucket-1250000000',
      Key: 'multipart.txt',
      Body: PART,
      PartNumber: 1,
      UploadId: uploadid,
      EnableMD5: true,
      ContentLength: String(PART.length),
      ContentMD5: md5Base64(PART),
      TrafficLimit: '1048576',
    });
    assertShape(response, { ETag: 'string' }, 'upload_part (all parameters)');
  });

  test('upload_part_copy: sample request and all parameters', async () => {
    await client.putObject({ Bucket: 'sourcebucket-1250000000', Key: 'exampleobject', Body: PART });
    const source = await client.putObject({
      Bucket: 'sourcebucket-1250000000',
      Key: 'sourceObject',
      Body: Buffer.alloc(2 * 1024 * 1024, 's'),
    });
    let response = await client.uploadPartCopy({
      Bucket: 'examplebucket-1250000000',
      Key: 'multipart.txt',
      PartNumber: 2,
      UploadId: uploadid,
      CopySource: {
        Bucket: 'sourcebucket-1250000000',
        Key: 'exampleobject',
        Region: 'ap-guangzhou',
      },
    });
    assertShape(
      response,
      { ETag: 'string', LastModified: 'string', 'x-cos-copy-source-version-id': 'string?' },
      'copy',
    );
    response = await client.uploadPartCopy({
      Bucket: 'examplebucket-1250000000',
      Key: 'multipart.txt',
      PartNumber: 3,
      UploadId: uploadid,
      CopySource: {
        Bucket: 'sourcebucket-1250000000',
        Key: 'sourceObject',
        Region: 'ap-guangzhou', // Replace it with the source bucket region
        VersionId: 'null', // the only version of an object in an unversioned bucket
      },
      CopySourceRange: 'bytes=0-1048575',
      CopySourceIfMatch: source.ETag,
      CopySourceIfModifiedSince: 'Wed, 21 Oct 2015 07:28:00 GMT',
      CopySourceIfNoneMatch: '"00000000000000000000000000000000"',
      CopySourceIfUnmodifiedSince: 'Wed, 21 Oct 2037 07:28:00 GMT',
    });
    assertShape(
      response,
      { ETag: 'string', LastModified: 'string', 'x-cos-copy-source-version-id': 'string' },
      'upload_part_copy (all parameters)',
    );
  });

  test('list_parts: sample request and all parameters', async () => {
    let response = await client.listParts({
      Bucket: 'examplebucket-1250000000',
      Key: 'multipart.txt',
      UploadId: uploadid,
    });
    assertShape(
      response,
      {
        Bucket: 'string',
        Key: 'string',
        UploadId: 'string',
        EncodingType: 'string?',
        MaxParts: 'number',
        IsTruncated: 'boolean',
        PartNumberMarker: 'number',
        NextPartNumberMarker: 'number',
        StorageClass: 'string',
        Part: 'array',
        Initiator: 'object',
        Owner: 'object',
      },
      'list_parts',
    );
    assert.deepEqual(
      response.Part.map((p) => p.PartNumber),
      [1, 2, 3],
    );
    for (const part of response.Part) {
      assertShape(
        part,
        { LastModified: 'string', PartNumber: 'number', ETag: 'string', Size: 'number' },
        'Part',
      );
    }
    assertShape(response.Initiator, OWNER_SHAPE, 'Initiator');
    assertShape(response.Owner, OWNER_SHAPE, 'Owner');
    response = await client.listParts({
      Bucket: 'examplebucket-1250000000',
      Key: 'multipart.txt',
      UploadId: uploadid,
      MaxParts: 1000,
      PartNumberMarker: 100,
      EncodingType: 'url',
    });
    assert.deepEqual(response.Part, [], 'no part above 100: an empty list, not a missing key');
    assert.equal(response.PartNumberMarker, 100);
    assert.equal(response.EncodingType, 'url');
  });

  test('complete_multipart_upload', async () => {
    const parts = (
      await client.listParts({ Bucket: 'examplebucket-1250000000', Key: 'multipart.txt', UploadId: uploadid })
    ).Part;
    const response = await client.completeMultipartUpload({
      Bucket: 'examplebucket-1250000000',
      Key: 'multipart.txt',
      UploadId: uploadid,
      MultipartUpload: {
        Part: parts.map((p) => ({ ETag: p.ETag, PartNumber: p.PartNumber })),
      },
    });
    assertShape(
      response,
      { ETag: 'string', Bucket: 'string', Location: 'string', Key: 'string' },
      'complete',
    );
    assert.match(response.ETag, /-3"$/);
    const head = await client.headObject({ Bucket: 'examplebucket-1250000000', Key: 'multipart.txt' });
    assert.equal(head['Content-Length'], 3 * 1024 * 1024);
    assert.equal(head['Content-Type'], 'text/plain');
  });

  test('abort_multipart_upload', async () => {
    const { UploadId } = await client.createMultipartUpload({
      Bucket: 'examplebucket-1250000000',
      Key: 'exampleobject',
    });
    // The seed's API returns None; ours answers the status and headers.
    const response = await client.abortMultipartUpload({
      Bucket: 'examplebucket-1250000000',
      Key: 'exampleobject',
      UploadId,
    });
    assert.equal(response.statusCode, 204);
    const left = await client.listMultipartUploads({
      Bucket: 'examplebucket-1250000000',
      Prefix: 'exampleobject',
    });
    assert.deepEqual(left.Upload, []);
  });
});
