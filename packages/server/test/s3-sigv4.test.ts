/**
 * The S3 dialect's authentication against `coskit serve`: `@aws-sdk/client-s3` (path style, the server's
 * region) doing PutObject / GetObject / HeadObject / DeleteObject with the same credentials as q-sign,
 * objects shared with the COS dialect, and raw SigV4 requests (our protocol signer) for what the SDK
 * does not send on its own: a wrong `x-amz-content-sha256`, signed aws-chunked bodies with a forged
 * chunk, unsigned `x-amz-*` headers, pre-signed URLs, session tokens.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  awsChecksumOf,
  crc64,
  crc64ToDecimal,
  encodeAwsChunked,
  encodeKeyPath,
  presignSigV4,
  signSigV4Request,
} from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL } from '../src/index.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';

const TEMPORARY = { secretId: 'AKIDTEMPORARYS3', secretKey: 'temporary-secret/+=', token: 'session-token-1' };

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  code: string | undefined;
}

function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer | Buffer[],
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: buf,
          code: /<Code>([^<]*)<\/Code>/.exec(buf.toString())?.[1],
        });
      });
    });
    req.on('error', reject);
    for (const piece of Array.isArray(body) ? body : body ? [body] : []) req.write(piece);
    req.end();
  });
}

describe('the S3 dialect: AWS SigV4 authentication', () => {
  let h: Harness;
  let s3: S3Client;
  const Bucket = bucketName();
  const host = () => `127.0.0.1:${h.server.port}`;
  const client = (over: Partial<ConstructorParameters<typeof S3Client>[0]> = {}) =>
    new S3Client({
      region: REGION,
      endpoint: `http://${host()}`,
      forcePathStyle: true,
      credentials: {
        accessKeyId: DEVELOPMENT_CREDENTIAL.secretId,
        secretAccessKey: DEVELOPMENT_CREDENTIAL.secretKey,
      },
      maxAttempts: 1,
      ...over,
    });
  /** A raw SigV4 request (header form) signed by our protocol signer. */
  const signedRaw = (
    method: string,
    key: string,
    opts: {
      headers?: Record<string, string>;
      payloadHash?: string;
      body?: Buffer | Buffer[];
      sessionToken?: string;
      signWith?: typeof TEMPORARY;
    } = {},
  ) => {
    const pathname = `/${Bucket}/${key}`;
    const signed = signSigV4Request({
      accessKeyId: opts.signWith?.secretId ?? DEVELOPMENT_CREDENTIAL.secretId,
      secretAccessKey: opts.signWith?.secretKey ?? DEVELOPMENT_CREDENTIAL.secretKey,
      sessionToken: opts.sessionToken,
      region: REGION,
      method,
      pathname,
      headers: { host: host(), ...opts.headers },
      payloadHash: opts.payloadHash,
    });
    return {
      signed,
      send: (headers = signed.headers) =>
        send(h.server.port, method, `/${Bucket}/${encodeKeyPath(key)}`, headers, opts.body),
    };
  };
  const exists = async (key: string) =>
    (await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: key })).err === null;

  before(async () => {
    h = await startHarness({ credentials: [DEVELOPMENT_CREDENTIAL, TEMPORARY] });
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    s3 = client();
  });
  after(async () => {
    s3?.destroy();
    await h.close();
  });

  test('@aws-sdk/client-s3 PutObject, GetObject, HeadObject, DeleteObject with the q-sign credentials', async () => {
    const Body = Buffer.from('hello from the S3 dialect');
    const put = await s3.send(
      new PutObjectCommand({ Bucket, Key: 'dir/hello s3+.txt', Body, ContentType: 'text/plain' }),
    );
    const md5 = createHash('md5').update(Body).digest('hex');
    assert.equal(put.ETag, `"${md5}"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'dir/hello s3+.txt' }));
    assert.equal(head.ContentLength, Body.length);
    assert.equal(head.ETag, `"${md5}"`);
    assert.equal(head.ContentType, 'text/plain');
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'dir/hello s3+.txt' }));
    assert.equal(await got.Body!.transformToString(), Body.toString());
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'dir/hello s3+.txt' }));
    await assert.rejects(
      s3.send(new HeadObjectCommand({ Bucket, Key: 'dir/hello s3+.txt' })),
      (e: unknown) => {
        assert.ok(e instanceof S3ServiceException);
        assert.equal(e.$metadata.httpStatusCode, 404);
        return true;
      },
    );
  });

  test('a streamed PutObject (aws-chunked with a checksum trailer) stores exactly the bytes', async () => {
    const payload = Buffer.alloc(300_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
    const pieces = [payload.subarray(0, 100_000), payload.subarray(100_000)];
    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'streamed.bin',
        Body: Readable.from(pieces),
        ContentLength: payload.length,
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'streamed.bin' }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(payload));
    assert.equal(got.ContentEncoding, undefined, 'aws-chunked is framing, not stored as Content-Encoding');
  });

  test('the same object through both dialects: written with q-sign, read with SigV4, and back, same ETag', async () => {
    const put = await call(h.cos, 'putObject', {
      Bucket,
      Region: REGION,
      Key: 'from-cos.txt',
      Body: 'written by COS',
    });
    assert.equal(put.err, null);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'from-cos.txt' }));
    assert.equal(await got.Body!.transformToString(), 'written by COS');
    assert.equal(got.ETag, put.data.ETag);
    // The SigV4 read answers the CRC-64 the COS write computed.
    const raw = await signedRaw('GET', 'from-cos.txt').send();
    assert.equal(raw.headers['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64('written by COS')));
    const s3put = await s3.send(new PutObjectCommand({ Bucket, Key: 'from-s3.txt', Body: 'written by S3' }));
    const cosHead = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'from-s3.txt' });
    assert.equal(cosHead.data.ETag, s3put.ETag);
    assert.equal(cosHead.data.headers['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64('written by S3')));
    const cosGet = await call(h.cos, 'getObject', { Bucket, Region: REGION, Key: 'from-s3.txt' });
    assert.equal(String(cosGet.data.Body), 'written by S3');
  });

  test('a wrong secret is 403 SignatureDoesNotMatch, a wrong region 400 AuthorizationHeaderMalformed, an unknown key 403', async () => {
    const cases: [S3Client, number, string][] = [
      [
        client({ credentials: { accessKeyId: DEVELOPMENT_CREDENTIAL.secretId, secretAccessKey: 'wrong' } }),
        403,
        'SignatureDoesNotMatch',
      ],
      [client({ region: 'us-east-1' }), 400, 'AuthorizationHeaderMalformed'],
      [
        client({ credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } }),
        403,
        'InvalidAccessKeyId',
      ],
    ];
    for (const [c, status, code] of cases) {
      await assert.rejects(
        c.send(new PutObjectCommand({ Bucket, Key: 'refused.txt', Body: 'x' })),
        (e: unknown) => {
          assert.ok(e instanceof S3ServiceException, String(e));
          assert.equal(e.$metadata.httpStatusCode, status);
          assert.equal(e.name, code);
          return true;
        },
      );
      c.destroy();
    }
    assert.equal(await exists('refused.txt'), false);
  });

  test('temporary keys: the session token authenticates, its absence is 400 InvalidToken', async () => {
    const temp = client({
      credentials: {
        accessKeyId: TEMPORARY.secretId,
        secretAccessKey: TEMPORARY.secretKey,
        sessionToken: TEMPORARY.token,
      },
    });
    await temp.send(new PutObjectCommand({ Bucket, Key: 'temp.txt', Body: 'temporary' }));
    temp.destroy();
    const r = await signedRaw('GET', 'temp.txt', { signWith: TEMPORARY }).send();
    assert.equal(r.status, 400);
    assert.equal(r.code, 'InvalidToken');
    const ok = await signedRaw('GET', 'temp.txt', {
      signWith: TEMPORARY,
      sessionToken: TEMPORARY.token,
    }).send();
    assert.equal(ok.status, 200);
    assert.equal(ok.body.toString(), 'temporary');
  });

  test('x-amz-content-sha256 is checked: a body that does not hash to it is 400 XAmzContentSHA256Mismatch and stores nothing', async () => {
    const body = Buffer.from('the real body');
    const good = signedRaw('PUT', 'hashed.txt', {
      payloadHash: createHash('sha256').update(body).digest('hex'),
      body,
    });
    assert.equal((await good.send()).status, 200);
    const other = Buffer.from('another body!');
    const bad = signedRaw('PUT', 'hashed-bad.txt', {
      payloadHash: createHash('sha256').update(body).digest('hex'),
      body: other,
    });
    const r = await bad.send();
    assert.equal(r.status, 400);
    assert.equal(r.code, 'XAmzContentSHA256Mismatch');
    assert.equal(await exists('hashed-bad.txt'), false);
    // Overwriting an existing object with a mismatching body leaves the old one.
    const over = signedRaw('PUT', 'hashed.txt', {
      payloadHash: createHash('sha256').update(body).digest('hex'),
      body: other,
    });
    assert.equal((await over.send()).code, 'XAmzContentSHA256Mismatch');
    const kept = await s3.send(new GetObjectCommand({ Bucket, Key: 'hashed.txt' }));
    assert.equal(await kept.Body!.transformToString(), 'the real body');
  });

  test('signed aws-chunked bodies: every chunk signature is checked; a forged chunk is 403 and stores nothing', async () => {
    const payload = Buffer.alloc(3 * 65536 + 100, 'z');
    const chunks = [0, 1, 2, 3].map((i) => payload.subarray(i * 65536, (i + 1) * 65536));
    const make = (key: string) => {
      const pre = signSigV4Request({
        accessKeyId: DEVELOPMENT_CREDENTIAL.secretId,
        secretAccessKey: DEVELOPMENT_CREDENTIAL.secretKey,
        region: REGION,
        method: 'PUT',
        pathname: `/${Bucket}/${key}`,
        headers: {
          host: host(),
          'content-encoding': 'aws-chunked',
          'x-amz-decoded-content-length': String(payload.length),
        },
        payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      });
      const wire = encodeAwsChunked(chunks, { signing: pre.signing }).map((b) => Buffer.from(b));
      const length = wire.reduce((n, b) => n + b.length, 0);
      return { headers: { ...pre.headers, 'content-length': String(length) }, wire };
    };
    const good = make('chunked.bin');
    const ok = await send(h.server.port, 'PUT', `/${Bucket}/chunked.bin`, good.headers, good.wire);
    assert.equal(ok.status, 200, ok.body.toString());
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'chunked.bin' }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(payload));

    const forged = make('chunked-forged.bin');
    const data = Buffer.from(forged.wire[4]!); // the second chunk's data
    data[1000] = 0x41;
    forged.wire[4] = data;
    const r = await send(h.server.port, 'PUT', `/${Bucket}/chunked-forged.bin`, forged.headers, forged.wire);
    assert.equal(r.status, 403);
    assert.equal(r.code, 'SignatureDoesNotMatch');
    assert.equal(await exists('chunked-forged.bin'), false);
    // Truncated: the final chunk never arrives.
    const short = make('chunked-short.bin');
    const cut = short.wire.slice(0, -1);
    const shortLength = cut.reduce((n, b) => n + b.length, 0);
    const s = await send(
      h.server.port,
      'PUT',
      `/${Bucket}/chunked-short.bin`,
      { ...short.headers, 'content-length': String(shortLength) },
      cut,
    );
    assert.equal(s.status, 400);
    assert.equal(s.code, 'IncompleteBody');
    assert.equal(await exists('chunked-short.bin'), false);
  });

  test("x-amz-checksum-* (header or trailer) is verified: the SDK's algorithms pass, a wrong value is 400 BadDigest and stores nothing", async () => {
    for (const ChecksumAlgorithm of ['CRC32', 'CRC32C', 'SHA256'] as const) {
      const Body = Buffer.from(`checked with ${ChecksumAlgorithm}`);
      await s3.send(
        new PutObjectCommand({ Bucket, Key: `sum-${ChecksumAlgorithm}`, Body, ChecksumAlgorithm }),
      );
      await s3.send(
        new PutObjectCommand({
          Bucket,
          Key: `sum-stream-${ChecksumAlgorithm}`,
          Body: Readable.from([Body]),
          ContentLength: Body.length,
          ChecksumAlgorithm,
        }),
      );
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: `sum-stream-${ChecksumAlgorithm}` }));
      assert.equal(await got.Body!.transformToString(), Body.toString());
    }
    const body = Buffer.from('header checksum');
    const wrongHeader = signedRaw('PUT', 'sum-bad-header', {
      body,
      headers: {
        'content-length': String(body.length),
        'x-amz-checksum-crc32': awsChecksumOf('crc32', Buffer.from('other'))!,
      },
    });
    const r = await wrongHeader.send();
    assert.equal(r.status, 400);
    assert.equal(r.code, 'BadDigest');
    assert.equal(await exists('sum-bad-header'), false);
    // The SDK's streamed form with a wrong trailer.
    const wire = encodeAwsChunked([body], {
      trailers: [['x-amz-checksum-crc32', awsChecksumOf('crc32', Buffer.from('other'))!]],
    }).map((b) => Buffer.from(b));
    const trailer = signedRaw('PUT', 'sum-bad-trailer', {
      body: wire,
      payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(body.length),
        'x-amz-trailer': 'x-amz-checksum-crc32',
        'content-length': String(wire.reduce((n, b) => n + b.length, 0)),
      },
    });
    const t = await trailer.send();
    assert.equal(t.status, 400);
    assert.equal(t.code, 'BadDigest');
    assert.equal(await exists('sum-bad-trailer'), false);
  });

  test('ListObjectsV2 pages with continuation tokens, honours start-after, delimiter and fetch-owner', async () => {
    const Bucket2 = bucketName();
    assert.equal((await call(h.cos, 'putBucket', { Bucket: Bucket2, Region: REGION })).err, null);
    const keys = ['a/1', 'a/2', 'b', 'c d', 'z', 'é/x']; // UTF-8 byte order, as S3 lists
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: Bucket2, Key, Body: Key }));
    const seen: string[] = [];
    let ContinuationToken: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: Bucket2, MaxKeys: 2, ContinuationToken }),
      );
      pages++;
      assert.equal(page.KeyCount, page.Contents?.length ?? 0);
      assert.equal(page.Contents?.[0]?.Owner, undefined);
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated) assert.ok(ContinuationToken);
    } while (ContinuationToken);
    assert.deepEqual(seen, keys);
    assert.equal(pages, 3);
    const after = await s3.send(
      new ListObjectsV2Command({ Bucket: Bucket2, StartAfter: 'b', FetchOwner: true }),
    );
    assert.deepEqual(
      after.Contents?.map((c) => c.Key),
      ['c d', 'z', 'é/x'],
    );
    assert.ok(after.Contents?.[0]?.Owner?.ID);
    assert.equal(after.StartAfter, 'b');
    const rolled = await s3.send(new ListObjectsV2Command({ Bucket: Bucket2, Delimiter: '/' }));
    assert.deepEqual(
      rolled.CommonPrefixes?.map((p) => p.Prefix),
      ['a/', 'é/'],
    );
    assert.deepEqual(
      rolled.Contents?.map((c) => c.Key),
      ['b', 'c d', 'z'],
    );
    assert.equal(rolled.KeyCount, 5);
    await assert.rejects(
      s3.send(new ListObjectsV2Command({ Bucket: Bucket2, ContinuationToken: 'not a token!' })),
      (e: unknown) => e instanceof S3ServiceException && e.name === 'InvalidArgument',
    );
  });

  test('an x-amz-* header the signature does not cover is 403 AccessDenied', async () => {
    const req = signedRaw('PUT', 'acl.txt', { body: Buffer.from('x'), headers: { 'content-length': '1' } });
    const r = await req.send({ ...req.signed.headers, 'x-amz-acl': 'public-read' });
    assert.equal(r.status, 403);
    assert.equal(r.code, 'AccessDenied');
    assert.match(r.body.toString(), /<HeadersNotSigned>x-amz-acl<\/HeadersNotSigned>/);
    assert.equal(await exists('acl.txt'), false);
  });

  test('pre-signed SigV4 URLs: GET works within X-Amz-Expires, expired or altered is refused', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'shared.txt', Body: 'shared via URL' }));
    const presign = (nowMs: number, expiresSeconds: number) =>
      presignSigV4({
        accessKeyId: DEVELOPMENT_CREDENTIAL.secretId,
        secretAccessKey: DEVELOPMENT_CREDENTIAL.secretKey,
        region: REGION,
        method: 'GET',
        pathname: `/${Bucket}/shared.txt`,
        headers: { host: host() },
        expiresSeconds,
        nowMs,
      }).queryString;
    const get = (qs: string) => send(h.server.port, 'GET', `/${Bucket}/shared.txt?${qs}`, { host: host() });
    const ok = await get(presign(Date.now(), 60));
    assert.equal(ok.status, 200);
    assert.equal(ok.body.toString(), 'shared via URL');
    const expired = await get(presign(Date.now() - 120_000, 60));
    assert.equal(expired.status, 403);
    assert.equal(expired.code, 'AccessDenied');
    const altered = await send(h.server.port, 'GET', `/${Bucket}/from-cos.txt?${presign(Date.now(), 60)}`, {
      host: host(),
    });
    assert.equal(altered.code, 'SignatureDoesNotMatch');
    const tooLong = await get(presign(Date.now(), 604_801));
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.code, 'AuthorizationQueryParametersError');
  });
});
