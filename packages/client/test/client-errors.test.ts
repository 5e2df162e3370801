/** The two error classes: every field of CosServiceError, and CosClientError for every bad argument. */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { buildCompleteMultipartUploadResult, buildErrorBody } from '@coskit/protocol';
import { CosClientError, CosS3Client, CosServiceError } from '../src/index.js';
import {
  bucketName,
  type ClientHarness,
  configFor,
  readAll,
  recordStrayErrors,
  rejection,
  startClientHarness,
} from './support/client-harness.js';

const MiB = 1024 * 1024;
const stream = () => Readable.from([Buffer.from('streamed')]);

// Errors must surface from the call that failed, never as process-level events.
const stray = recordStrayErrors();

describe('CosServiceError', () => {
  let h: ClientHarness;
  const Bucket = bucketName('err');
  before(async () => {
    h = await startClientHarness();
    await h.client.createBucket({ Bucket });
  });
  after(() => h.close());

  /** Asserts the common fields and returns the error. */
  async function serviceError(
    call: Promise<unknown>,
    statusCode: number,
    errorCode: string,
  ): Promise<CosServiceError> {
    h.proxy.reset();
    const err = await rejection(call);
    assert.ok(err instanceof CosServiceError, `expected CosServiceError, got ${err}`);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'CosServiceError');
    assert.equal(err.statusCode, statusCode);
    assert.equal(err.errorCode, errorCode);
    assert.equal(err.getStatusCode(), statusCode);
    assert.equal(err.getErrorCode(), errorCode);
    assert.ok(err.requestId.length > 0, 'requestId');
    assert.equal(err.getRequestId(), err.requestId);
    assert.equal(err.requestId, err.headers['x-cos-request-id'], 'requestId is the one the server sent');
    assert.ok(err.traceId.length > 0, 'traceId');
    assert.match(err.message, new RegExp(`${statusCode} ${errorCode}`));
    return err;
  }

  /** Fields that come from an `<Error>` body. */
  function assertBody(err: CosServiceError, resourcePart: string): void {
    assert.ok(err.errorMessage.length > 0, 'errorMessage');
    assert.equal(err.getErrorMessage(), err.errorMessage);
    assert.ok(err.resource.includes(resourcePart), `resource ${err.resource} names ${resourcePart}`);
    assert.equal(err.getResourceLocation(), err.resource);
    assert.ok(err.body.includes(`<Code>${err.errorCode}</Code>`), 'raw body kept');
    assert.ok(err.body.includes(`<RequestId>${err.requestId}</RequestId>`));
    assert.ok(err.body.includes(`<TraceId>${err.traceId}</TraceId>`));
  }

  test('NoSuchKey on GET', async () => {
    const err = await serviceError(h.proxied.getObject({ Bucket, Key: 'missing/文' }), 404, 'NoSuchKey');
    assertBody(err, `${Bucket}.cos.ap-guangzhou.myqcloud.com/missing/文`);
    assert.equal(h.proxy.requests.length, 1, '4xx is not retried');
  });

  test('NoSuchBucket on PUT and on a listing', async () => {
    const missing = bucketName('missing');
    assertBody(
      await serviceError(h.client.putObject({ Bucket: missing, Key: 'k', Body: 'x' }), 404, 'NoSuchBucket'),
      missing,
    );
    assertBody(await serviceError(h.client.listObjects({ Bucket: missing }), 404, 'NoSuchBucket'), missing);
  });

  test('NoSuchUpload on Upload Part, List Parts, Complete and Abort', async () => {
    const UploadId = 'no-such-upload-id';
    const Key = 'mp';
    // Thunks: each call starts only when the previous one has been checked, so none can reject
    // unobserved while another is awaited.
    for (const call of [
      () => h.client.uploadPart({ Bucket, Key, UploadId, PartNumber: 1, Body: 'x' }),
      () => h.client.listParts({ Bucket, Key, UploadId }),
      () =>
        h.client.completeMultipartUpload({
          Bucket,
          Key,
          UploadId,
          MultipartUpload: { Part: [{ PartNumber: 1, ETag: '"x"' }] },
        }),
      () => h.client.abortMultipartUpload({ Bucket, Key, UploadId }),
    ]) {
      assertBody(await serviceError(call(), 404, 'NoSuchUpload'), Key);
    }
  });

  test('AppendPositionErr', async () => {
    await h.client.appendObject({ Bucket, Key: 'ap', Position: 0, Data: 'abc' });
    assertBody(
      await serviceError(
        h.client.appendObject({ Bucket, Key: 'ap', Position: 7, Data: 'x' }),
        409,
        'AppendPositionErr',
      ),
      'ap',
    );
  });

  test('InvalidPart and EntityTooSmall on Complete', async () => {
    const Key = 'complete-errors';
    const { UploadId } = await h.client.createMultipartUpload({ Bucket, Key });
    const small = await h.client.uploadPart({ Bucket, Key, UploadId, PartNumber: 1, Body: 'small' });
    const last = await h.client.uploadPart({ Bucket, Key, UploadId, PartNumber: 2, Body: 'last' });
    assertBody(
      await serviceError(
        h.client.completeMultipartUpload({
          Bucket,
          Key,
          UploadId,
          MultipartUpload: { Part: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] },
        }),
        400,
        'InvalidPart',
      ),
      Key,
    );
    assertBody(
      await serviceError(
        h.client.completeMultipartUpload({
          Bucket,
          Key,
          UploadId,
          MultipartUpload: {
            Part: [
              { PartNumber: 1, ETag: small.ETag },
              { PartNumber: 2, ETag: last.ETag },
            ],
          },
        }),
        400,
        'EntityTooSmall',
      ),
      Key,
    );
    // Still completable once the first part is big enough.
    const big = await h.client.uploadPart({ Bucket, Key, UploadId, PartNumber: 1, Body: Buffer.alloc(MiB) });
    await h.client.completeMultipartUpload({
      Bucket,
      Key,
      UploadId,
      MultipartUpload: {
        Part: [
          { PartNumber: 1, ETag: big.ETag },
          { PartNumber: 2, ETag: last.ETag },
        ],
      },
    });
  });

  test('a HEAD 404 has no body and no x-cos-error-code (as COS): NoSuchResource, ids from headers', async () => {
    const err = await serviceError(
      h.client.headObject({ Bucket, Key: 'nothing-here' }),
      404,
      'NoSuchResource',
    );
    assert.equal(err.body, '');
    assert.equal(err.errorMessage, 'HTTP 404');
    assert.equal(err.resource, `${Bucket}/nothing-here`);
    assert.notEqual(err.requestId, '');
    const bucketErr = await serviceError(
      h.client.headBucket({ Bucket: bucketName('none') }),
      404,
      'NoSuchResource',
    );
    assert.equal(bucketErr.body, '');
  });

  test('a wrong key is SignatureDoesNotMatch / InvalidAccessKeyId, not retried', async () => {
    const wrong = h.newClient({ SecretKey: 'not-the-secret' });
    h.proxy.reset();
    const sig = await rejection(wrong.listObjects({ Bucket }));
    assert.equal((sig as CosServiceError).statusCode, 403);
    assert.equal((sig as CosServiceError).errorCode, 'SignatureDoesNotMatch');
    assert.equal(h.proxy.requests.length, 1);
    const unknown = h.newClient({ SecretId: 'AKIDunknown' });
    assertBody(await serviceError(unknown.listObjects({ Bucket }), 403, 'InvalidAccessKeyId'), Bucket);
  });
});

describe('200 answers with an <Error> body (Complete, Upload Part - Copy)', () => {
  // A canned server: Complete and Copy answer 200 + <Error> while `errors` has entries.
  const errors: string[] = [];
  let requests = 0;
  const canned = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      const code = errors.shift();
      const body = code
        ? buildErrorBody({
            Code: code,
            Message: `injected ${code}`,
            Resource: 'canned/key',
            RequestId: 'canned-request',
            TraceId: 'canned-trace',
          })
        : req.headers['x-cos-copy-source']
          ? '<CopyPartResult><ETag>"abc"</ETag><LastModified>2024-01-01T00:00:00.000Z</LastModified></CopyPartResult>'
          : buildCompleteMultipartUploadResult({
              Location: 'canned/key',
              Bucket: 'canned-1250000000',
              Key: 'key',
              ETag: '"abc-1"',
            });
      res.writeHead(200, { 'content-type': 'application/xml', 'x-cos-request-id': 'canned-request' });
      res.end(body);
    });
  });
  let client: CosS3Client;
  before(async () => {
    await new Promise<void>((resolve) => canned.listen(0, '127.0.0.1', resolve));
    client = new CosS3Client(configFor((canned.address() as AddressInfo).port));
  });
  after(() => {
    client.destroy();
    canned.closeAllConnections();
    canned.close();
  });
  const complete = () =>
    client.completeMultipartUpload({
      Bucket: 'canned-1250000000',
      Key: 'key',
      UploadId: 'u',
      MultipartUpload: { Part: [{ PartNumber: 1, ETag: '"abc"' }] },
    });
  const copy = () =>
    client.uploadPartCopy({
      Bucket: 'canned-1250000000',
      Key: 'key',
      UploadId: 'u',
      PartNumber: 1,
      CopySource: { Bucket: 'canned-1250000000', Key: 'src', Region: 'ap-guangzhou' },
    });

  test('a non-retryable code is a CosServiceError with status 200', async () => {
    for (const call of [complete, copy]) {
      errors.push('InvalidPart');
      requests = 0;
      const err = await rejection(call());
      assert.ok(err instanceof CosServiceError);
      assert.equal(err.statusCode, 200);
      assert.equal(err.errorCode, 'InvalidPart');
      assert.equal(err.errorMessage, 'injected InvalidPart');
      assert.equal(err.traceId, 'canned-trace');
      assert.equal(requests, 1);
    }
  });

  test('InternalError inside a 200 is retried, then succeeds', async () => {
    errors.push('InternalError', 'InternalError');
    requests = 0;
    const r = await complete();
    assert.equal(r.ETag, '"abc-1"');
    assert.equal(requests, 3);
    errors.push('SlowDown');
    requests = 0;
    assert.equal((await copy()).ETag, '"abc"');
    assert.equal(requests, 2);
  });
});

describe('CosClientError for bad arguments, before any request', () => {
  let h: ClientHarness;
  let c: CosS3Client;
  const Bucket = bucketName('args');
  const Key = 'k';
  const UploadId = 'upload-id';
  const CopySource = { Bucket, Key: 'src', Region: 'ap-guangzhou' };
  before(async () => {
    h = await startClientHarness();
    await h.client.createBucket({ Bucket });
    c = h.proxied;
  });
  after(() => h.close());

  /** Runs each call; each must be a COS_INVALID_ARGUMENT whose message matches, with no request sent. */
  async function refused(cases: [string, () => Promise<unknown>, RegExp][]): Promise<void> {
    for (const [name, call, message] of cases) {
      h.proxy.reset();
      const pending = call();
      assert.ok(pending instanceof Promise, `${name}: the call returns a promise (no synchronous throw)`);
      const err = await rejection(pending);
      assert.ok(err instanceof CosClientError, `${name}: expected CosClientError, got ${err}`);
      assert.equal(err.code, 'COS_INVALID_ARGUMENT', name);
      assert.match(err.message, message, name);
      assert.equal(h.proxy.requests.length, 0, `${name}: no request may reach the server`);
    }
  }

  test('bucket names', async () => {
    await refused([
      ['no appid', () => c.headBucket({ Bucket: 'examplebucket' }), /examplebucket-1250000000/],
      ['uppercase', () => c.putObject({ Bucket: 'Example-1250000000', Key, Body: 'x' }), /lowercase/],
      ['underscore', () => c.listObjects({ Bucket: 'ex_ample-1250000000' }), /Bucket/],
      ['empty', () => c.createBucket({ Bucket: '' }), /Bucket/],
      [
        'not a string',
        () => c.getObject({ Bucket: 42 as unknown as string, Key }),
        /Bucket must be a string/,
      ],
      ['too long', () => c.headBucket({ Bucket: `${'a'.repeat(51)}-1250000000` }), /at most 50/],
      [
        'copy source bucket',
        () =>
          c.uploadPartCopy({
            Bucket,
            Key,
            UploadId,
            PartNumber: 1,
            CopySource: { ...CopySource, Bucket: 'nope' },
          }),
        /examplebucket-1250000000/,
      ],
    ]);
  });

  test('object keys', async () => {
    const long = 'k'.repeat(851);
    const longUtf8 = `${'文'.repeat(283)}xy`; // 851 bytes, 285 characters
    await refused([
      ['851 bytes', () => c.putObject({ Bucket, Key: long, Body: 'x' }), /851 bytes.*850/],
      ['851 UTF-8 bytes', () => c.headObject({ Bucket, Key: longUtf8 }), /851 bytes/],
      ['empty', () => c.getObject({ Bucket, Key: '' }), /must not be empty/],
      ['only slashes', () => c.deleteObject({ Bucket, Key: '///' }), /must not be empty/],
      ['control char', () => c.putObject({ Bucket, Key: 'a\u001bb', Body: 'x' }), /control character/],
      [
        'not a string',
        () => c.headObject({ Bucket, Key: undefined as unknown as string }),
        /Key must be a string/,
      ],
      ['presign', () => c.getPresignedUrl({ Bucket, Key: long }), /850/],
    ]);
  });

  test('keys whose path ends in a "." or ".." segment (COS would act on another key or the bucket)', async () => {
    const local = join(h.dir, 'dot-segment.txt');
    await writeFile(local, 'x');
    await refused([
      ['get "."', () => c.getObject({ Bucket, Key: '.' }), /"\." path segment.*the bucket itself/],
      ['get ".."', () => c.getObject({ Bucket, Key: '..' }), /"\.\." path segment.*the bucket itself/],
      ['delete "/.."', () => c.deleteObject({ Bucket, Key: '/..' }), /the bucket itself/],
      ['head "a/.."', () => c.headObject({ Bucket, Key: 'a/..' }), /the bucket itself/],
      ['put "logs/."', () => c.putObject({ Bucket, Key: 'logs/.', Body: 'x' }), /the key "logs\/"/],
      ['put "a/b/.."', () => c.putObject({ Bucket, Key: 'a/b/..', Body: 'x' }), /the key "a\/"/],
      ['uploadFile', () => c.uploadFile({ Bucket, Key: 'x/..', LocalFilePath: local }), /the bucket itself/],
      [
        'downloadFile',
        () => c.downloadFile({ Bucket, Key: 'x/.', DestFilePath: join(h.dir, 'never') }),
        /the key "x\/"/,
      ],
      [
        'copy source',
        () => c.copyObject({ Bucket, Key, CopySource: { ...CopySource, Key: 'src/..' } }),
        /the bucket itself/,
      ],
      ['presign', () => c.getPresignedUrl({ Bucket, Key: '..' }), /the bucket itself/],
    ]);
    // A dot segment that a "/" follows is sent as ".%2F" (no dot segment): those keys stay usable.
    for (const key of ['../..', 'a/../', './x']) {
      await c.putObject({ Bucket, Key: key, Body: key });
      assert.equal((await readAll((await c.getObject({ Bucket, Key: key })).Body)).toString(), key);
    }
  });

  test('part numbers', async () => {
    const cases: [string, () => Promise<unknown>, RegExp][] = [];
    for (const PartNumber of [0, 10001, 1.5, -1]) {
      cases.push(
        [
          `uploadPart ${PartNumber}`,
          () => c.uploadPart({ Bucket, Key, UploadId, PartNumber, Body: 'x' }),
          /PartNumber.*1 to 10000/,
        ],
        [
          `uploadPartCopy ${PartNumber}`,
          () => c.uploadPartCopy({ Bucket, Key, UploadId, PartNumber, CopySource }),
          /PartNumber.*1 to 10000/,
        ],
        [
          `complete ${PartNumber}`,
          () =>
            c.completeMultipartUpload({
              Bucket,
              Key,
              UploadId,
              MultipartUpload: { Part: [{ PartNumber, ETag: '"x"' }] },
            }),
          /PartNumber/,
        ],
      );
    }
    await refused(cases);
  });

  test('TrafficLimit out of 819200–838860800', async () => {
    const cases: [string, () => Promise<unknown>, RegExp][] = [];
    for (const TrafficLimit of [819199, '838860801', 'fast', 0]) {
      cases.push(
        [
          `put ${TrafficLimit}`,
          () => c.putObject({ Bucket, Key, Body: 'x', TrafficLimit }),
          /TrafficLimit.*819200/,
        ],
        [
          `part ${TrafficLimit}`,
          () => c.uploadPart({ Bucket, Key, UploadId, PartNumber: 1, Body: 'x', TrafficLimit }),
          /TrafficLimit/,
        ],
        [`get ${TrafficLimit}`, () => c.getObject({ Bucket, Key, TrafficLimit }), /TrafficLimit/],
        [
          `append ${TrafficLimit}`,
          () => c.appendObject({ Bucket, Key, Position: 0, Data: 'x', TrafficLimit }),
          /TrafficLimit/,
        ],
      );
    }
    await refused(cases);
  });

  test('Metadata names without x-cos-meta-, and header values HTTP cannot carry', async () => {
    const Metadata = { key1: 'value1' };
    await refused([
      [
        'put',
        () => c.putObject({ Bucket, Key, Body: 'x', Metadata }),
        /"key1" must start with "x-cos-meta-"/,
      ],
      ['initiate', () => c.createMultipartUpload({ Bucket, Key, Metadata }), /x-cos-meta-/],
      ['append', () => c.appendObject({ Bucket, Key, Position: 0, Data: 'x', Metadata }), /x-cos-meta-/],
      [
        'not an object',
        () => c.putObject({ Bucket, Key, Body: 'x', Metadata: 'x' as unknown as Record<string, string> }),
        /Metadata/,
      ],
      [
        'name with a space',
        () => c.putObject({ Bucket, Key, Body: 'x', Metadata: { 'x-cos-meta-a b': 'v' } }),
        /x-cos-meta-a b/,
      ],
      [
        'value with a newline',
        () => c.putObject({ Bucket, Key, Body: 'x', Metadata: { 'x-cos-meta-a': 'v\r\nx-injected: 1' } }),
        /x-cos-meta-a/,
      ],
      [
        'non-Latin-1 value',
        () => c.putObject({ Bucket, Key, Body: 'x', Metadata: { 'x-cos-meta-a': '中文' } }),
        /x-cos-meta-a.*encodeURIComponent/,
      ],
      [
        'non-Latin-1 ContentDisposition',
        () => c.putObject({ Bucket, Key, Body: 'x', ContentDisposition: 'attachment; filename="文件.txt"' }),
        /Content-Disposition/i,
      ],
    ]);
  });

  test('listing limits', async () => {
    await refused([
      ['MaxKeys 1001', () => c.listObjects({ Bucket, MaxKeys: 1001 }), /MaxKeys.*0 to 1000/],
      ['MaxKeys -1', () => c.listObjects({ Bucket, MaxKeys: -1 }), /MaxKeys/],
      ['MaxUploads 0', () => c.listMultipartUploads({ Bucket, MaxUploads: 0 }), /MaxUploads.*1 to 1000/],
      ['MaxUploads 1001', () => c.listMultipartUploads({ Bucket, MaxUploads: 1001 }), /MaxUploads/],
      ['MaxParts 1001', () => c.listParts({ Bucket, Key, UploadId, MaxParts: 1001 }), /MaxParts.*1 to 1000/],
      ['MaxParts 2.5', () => c.listParts({ Bucket, Key, UploadId, MaxParts: 2.5 }), /MaxParts/],
    ]);
  });

  test('Upload Part - Copy: CopySourceRange and CopySource', async () => {
    const copy = (extra: Record<string, unknown>) => () =>
      c.uploadPartCopy({ Bucket, Key, UploadId, PartNumber: 1, CopySource, ...extra });
    await refused([
      ['open range', copy({ CopySourceRange: 'bytes=5-' }), /bytes=<first>-<last>/],
      ['no unit', copy({ CopySourceRange: '0-10' }), /CopySourceRange/],
      ['letters', copy({ CopySourceRange: 'bytes=a-b' }), /CopySourceRange/],
      ['suffix', copy({ CopySourceRange: 'bytes=-10' }), /CopySourceRange/],
      ['first after last', copy({ CopySourceRange: 'bytes=10-5' }), /CopySourceRange/],
      ['no region', copy({ CopySource: { Bucket, Key: 'src' } }), /Region/],
      ['no key', copy({ CopySource: { Bucket, Region: 'ap-guangzhou' } }), /Key/],
    ]);
  });

  test('bodies: EnableMD5 with a stream, streams without a length where one is needed, wrong types', async () => {
    await refused([
      [
        'put EnableMD5 stream',
        () => c.putObject({ Bucket, Key, Body: stream(), EnableMD5: true }),
        /EnableMD5/,
      ],
      [
        'part EnableMD5 stream',
        () =>
          c.uploadPart({
            Bucket,
            Key,
            UploadId,
            PartNumber: 1,
            Body: stream(),
            ContentLength: 8,
            EnableMD5: true,
          }),
        /EnableMD5/,
      ],
      [
        'append EnableMD5 stream',
        () => c.appendObject({ Bucket, Key, Position: 0, Data: stream(), ContentLength: 8, EnableMD5: true }),
        /EnableMD5/,
      ],
      [
        'append stream without length',
        () => c.appendObject({ Bucket, Key, Position: 0, Data: stream() }),
        /ContentLength/,
      ],
      [
        'part stream without length',
        () => c.uploadPart({ Bucket, Key, UploadId, PartNumber: 1, Body: stream() }),
        /ContentLength/,
      ],
      ['number body', () => c.putObject({ Bucket, Key, Body: 42 as unknown as string }), /Body must be/],
      [
        'missing body',
        () => c.putObject({ Bucket, Key } as Parameters<CosS3Client['putObject']>[0]),
        /Body must be/,
      ],
      ['append position', () => c.appendObject({ Bucket, Key, Position: -1, Data: 'x' }), /Position/],
    ]);
  });

  test('multipart and misc arguments', async () => {
    const file = join(h.dir, 'exists.txt');
    await writeFile(file, 'x');
    await refused([
      [
        'empty UploadId',
        () => c.uploadPart({ Bucket, Key, UploadId: '', PartNumber: 1, Body: 'x' }),
        /UploadId/,
      ],
      ['listParts UploadId', () => c.listParts({ Bucket, Key, UploadId: '' }), /UploadId/],
      ['abort UploadId', () => c.abortMultipartUpload({ Bucket, Key, UploadId: '' }), /UploadId/],
      [
        'no parts',
        () => c.completeMultipartUpload({ Bucket, Key, UploadId, MultipartUpload: { Part: [] } }),
        /MultipartUpload\.Part/,
      ],
      [
        'missing file',
        () => c.putObjectFromLocalFile({ Bucket, Key, LocalFilePath: join(h.dir, 'nope.txt') }),
        /nope\.txt.*ENOENT/,
      ],
      [
        'a directory',
        () => c.putObjectFromLocalFile({ Bucket, Key, LocalFilePath: h.dir }),
        /not a regular file/,
      ],
      [
        'file slice offsets',
        () => c.putObject({ Bucket, Key, Body: { path: file, start: 2, end: 1 } }),
        /0 <= start <= end/,
      ],
      ['presign Expired', () => c.getPresignedUrl({ Bucket, Key, Expired: 0 }), /Expired/],
    ]);
  });
});

describe('network failures', () => {
  test('a refused connection is a CosClientError COS_NETWORK thrown from the call, after the retries', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const client = new CosS3Client(configFor(port));
    try {
      const err = await rejection(client.putObject({ Bucket: 'x-1250000000', Key: 'k', Body: 'x' }));
      assert.ok(err instanceof CosClientError);
      assert.equal(err.code, 'COS_NETWORK');
      assert.match(err.message, /ECONNREFUSED/);
    } finally {
      client.destroy();
    }
  });

  test('no uncaught exceptions or unhandled rejections were seen', async () => {
    // Give late socket events a chance to surface.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(stray, []);
  });
});
