/**
 * Server-side encryption through the advanced `copy` and `copyDirectory` against coskit serve
 * (issue 11 item 7 on the copy paths): the target's encryption is the call's own (SSE-COS or an
 * SSE-C key, never inherited), an SSE-C source is read with `CopySourceSSECustomerKey` — on the
 * one PUT Object - Copy and on every Upload Part - Copy —, a missing or wrong source key is the
 * server's COS error with nothing written, and a malformed key is refused before any request.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CopyDirectoryParams, CosClientError, CosServiceError } from '../src/index.js';
import { crcOf, MiB, startTransferHarness, type TransferHarness } from './support/transfer-harness.js';

const KEY = randomBytes(32).toString('base64');
const OTHER_KEY = randomBytes(32).toString('base64');

describe('copy with server-side encryption', () => {
  let h: TransferHarness;
  const cpDir = () => join(h.dir, 'checkpoints');
  const src = (Key: string) => ({ Bucket: h.bucket, Region: 'ap-guangzhou', Key });
  /** The whole object, read with `key` when it is SSE-C. */
  const read = async (Key: string, key?: string) => {
    const r = await h.client.getObject({ Bucket: h.bucket, Key, ...(key ? { SSECustomerKey: key } : {}) });
    const chunks: Buffer[] = [];
    for await (const c of r.Body) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const status = (Key: string, key?: string) =>
    h.client.headObject({ Bucket: h.bucket, Key, ...(key ? { SSECustomerKey: key } : {}) }).then(
      () => 200,
      (e: CosServiceError) => e.statusCode,
    );
  let sealed: Buffer;

  before(async () => {
    h = await startTransferHarness('copy-sse-1250000000');
    const { path, bytes } = await h.file('sealed.bin', 2 * MiB + 5);
    sealed = bytes;
    await h.client.uploadFile({
      Bucket: h.bucket,
      Key: 'src/sealed.bin',
      LocalFilePath: path,
      SSECustomerKey: KEY,
      CheckpointDir: cpDir(),
    });
  });
  after(() => h.close());

  for (const [how, multipart] of [
    ['one PUT Object - Copy', {}],
    ['Upload Part - Copy', { MultipartThreshold: MiB, PartSize: 1 }],
  ] as const) {
    test(`${how}: an SSE-C source with its key into SSE-COS and into SSE-C with another key`, async () => {
      const tag = multipart.PartSize ? 'parts' : 'one';
      const toCos = await h.client.copy({
        Bucket: h.bucket,
        Key: `dst/${tag}-cos.bin`,
        CopySource: src('src/sealed.bin'),
        CopySourceSSECustomerKey: KEY,
        ServerSideEncryption: 'AES256',
        CheckpointDir: cpDir(),
        ...multipart,
      });
      assert.equal(toCos.partsCopied, multipart.PartSize ? 3 : 0);
      assert.equal(toCos['x-cos-hash-crc64ecma'], crcOf(sealed), 'CRC-64 of the plaintext, checked');
      const head = await h.client.headObject({ Bucket: h.bucket, Key: `dst/${tag}-cos.bin` });
      assert.equal(head['x-cos-server-side-encryption'], 'AES256');
      assert.ok((await read(`dst/${tag}-cos.bin`)).equals(sealed));

      const rekeyed = await h.client.copy({
        Bucket: h.bucket,
        Key: `dst/${tag}-c.bin`,
        CopySource: src('src/sealed.bin'),
        CopySourceSSECustomerKey: KEY,
        SSECustomerKey: OTHER_KEY,
        CheckpointDir: cpDir(),
        ...multipart,
      });
      assert.equal(rekeyed['x-cos-hash-crc64ecma'], crcOf(sealed));
      assert.ok((await read(`dst/${tag}-c.bin`, OTHER_KEY)).equals(sealed));
      assert.equal(await status(`dst/${tag}-c.bin`, KEY), 403, 'sealed with the new key, not the source key');
      assert.equal(await status(`dst/${tag}-c.bin`), 400, 'an SSE-C object needs its key');

      // Not inherited: without target headers the copy of an SSE-C object is stored plain.
      await h.client.copy({
        Bucket: h.bucket,
        Key: `dst/${tag}-plain.bin`,
        CopySource: src('src/sealed.bin'),
        CopySourceSSECustomerKey: KEY,
        CheckpointDir: cpDir(),
        ...multipart,
      });
      const plain = await h.client.headObject({ Bucket: h.bucket, Key: `dst/${tag}-plain.bin` });
      assert.equal(plain['x-cos-server-side-encryption'], undefined);
      assert.equal(plain['x-cos-server-side-encryption-customer-algorithm'], undefined);
      assert.ok((await read(`dst/${tag}-plain.bin`)).equals(sealed));
    });
  }

  test('a missing source key is 400 InvalidRequest, a wrong one 403 AccessDenied; nothing is written', async () => {
    // copy() HEADs its source first: a HEAD answers with the status alone (no body), as on COS.
    for (const multipart of [{}, { MultipartThreshold: MiB, PartSize: 1 }]) {
      for (const [key, statusCode] of [
        [undefined, 400],
        [OTHER_KEY, 403],
      ] as const) {
        await assert.rejects(
          h.client.copy({
            Bucket: h.bucket,
            Key: 'dst/never.bin',
            CopySource: src('src/sealed.bin'),
            ...(key ? { CopySourceSSECustomerKey: key } : {}),
            ServerSideEncryption: 'AES256',
            CheckpointDir: cpDir(),
            ...multipart,
          }),
          (e: CosServiceError) => e.statusCode === statusCode,
        );
      }
    }
    // The copy requests themselves, as copy() sends them: the COS error in the body.
    const upload = await h.client.createMultipartUpload({
      Bucket: h.bucket,
      Key: 'dst/never.bin',
      ServerSideEncryption: 'AES256',
    });
    for (const [key, code, statusCode] of [
      [undefined, 'InvalidRequest', 400],
      [OTHER_KEY, 'AccessDenied', 403],
    ] as const) {
      const sourceKey = key ? { CopySourceSSECustomerKey: key } : {};
      await assert.rejects(
        h.client.copyObject({
          Bucket: h.bucket,
          Key: 'dst/never.bin',
          CopySource: src('src/sealed.bin'),
          ServerSideEncryption: 'AES256',
          ...sourceKey,
        }),
        (e: CosServiceError) => e.statusCode === statusCode && e.errorCode === code,
      );
      await assert.rejects(
        h.client.uploadPartCopy({
          Bucket: h.bucket,
          Key: 'dst/never.bin',
          UploadId: upload.UploadId,
          PartNumber: 1,
          CopySource: src('src/sealed.bin'),
          CopySourceRange: 'bytes=0-1023',
          ...sourceKey,
        }),
        (e: CosServiceError) => e.statusCode === statusCode && e.errorCode === code,
      );
    }
    const parts = await h.client.listParts({
      Bucket: h.bucket,
      Key: 'dst/never.bin',
      UploadId: upload.UploadId,
    });
    assert.deepEqual(parts.Part, [], 'no part was stored');
    await h.client.abortMultipartUpload({
      Bucket: h.bucket,
      Key: 'dst/never.bin',
      UploadId: upload.UploadId,
    });
    assert.equal(await status('dst/never.bin'), 404);
    const uploads = await h.client.listMultipartUploads({ Bucket: h.bucket, Prefix: 'dst/never' });
    assert.deepEqual(uploads.Upload, [], 'no upload was initiated');
  });

  test('a multipart copy whose target key changed does not resume the other encryption’s upload', async () => {
    // Cut short after its first part: the checkpoint belongs to an SSE-COS target.
    const controller = new AbortController();
    await assert.rejects(
      h.client.copy({
        Bucket: h.bucket,
        Key: 'dst/switch.bin',
        CopySource: src('src/sealed.bin'),
        CopySourceSSECustomerKey: KEY,
        ServerSideEncryption: 'AES256',
        MultipartThreshold: MiB,
        PartSize: 1,
        MAXThread: 1,
        CheckpointDir: cpDir(),
        ProgressInterval: 0,
        signal: controller.signal,
        onProgress: (done) => {
          if (done > 0) controller.abort();
        },
      }),
    );
    // The same copy into SSE-C starts its own upload and completes with the new key.
    const r = await h.client.copy({
      Bucket: h.bucket,
      Key: 'dst/switch.bin',
      CopySource: src('src/sealed.bin'),
      CopySourceSSECustomerKey: KEY,
      SSECustomerKey: OTHER_KEY,
      MultipartThreshold: MiB,
      PartSize: 1,
      CheckpointDir: cpDir(),
    });
    assert.equal(r.resumed, false);
    assert.equal(r.partsCopied, 3);
    assert.ok((await read('dst/switch.bin', OTHER_KEY)).equals(sealed));
  });

  test('malformed keys and SSE-COS with SSE-C are refused before any request', async () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ CopySourceSSECustomerKey: 'c2hvcnQ=' }, /CopySourceSSECustomerKey must be the base64 of a 32-byte/],
      [{ SSECustomerKey: 'not a key' }, /SSECustomerKey must be the base64 of a 32-byte/],
      [
        { CopySourceSSECustomerKey: KEY, CopySourceSSECustomerKeyMD5: 'AAAAAAAAAAAAAAAAAAAAAA==' },
        /CopySourceSSECustomerKeyMD5 is not the MD5/,
      ],
      [{ ServerSideEncryption: 'AES256', SSECustomerKey: OTHER_KEY }, /cannot be combined/],
    ];
    for (const call of ['copy', 'copyDirectory'] as const) {
      for (const [extra, message] of bad) {
        const before = h.proxy.requests;
        const attempt =
          call === 'copy'
            ? h.client.copy({ Bucket: h.bucket, Key: 'dst/bad', CopySource: src('src/sealed.bin'), ...extra })
            : h.client.copyDirectory({
                Bucket: h.bucket,
                Prefix: 'bad/',
                CopySource: { Bucket: h.bucket, Region: 'ap-guangzhou', Prefix: 'src/' },
                ...(extra as Partial<CopyDirectoryParams>),
              });
        await assert.rejects(
          attempt,
          (e: CosClientError) => e.code === 'COS_INVALID_ARGUMENT' && message.test(e.message),
          `${call} ${JSON.stringify(extra)}`,
        );
        assert.equal(h.proxy.requests, before, 'no request was sent');
      }
    }
  });
});

describe('copyDirectory with server-side encryption', () => {
  let h: TransferHarness;
  before(async () => {
    h = await startTransferHarness('copydir-sse-1250000000');
    for (const [Key, Body] of [
      ['from/a.txt', 'aaaa'],
      ['from/d/b.txt', 'bb'],
    ] as const)
      await h.client.putObject({ Bucket: h.bucket, Key, Body, SSECustomerKey: KEY });
  });
  after(() => h.close());

  const run = async (extra: Partial<CopyDirectoryParams>) => {
    const finished: [string, string, string | undefined][] = [];
    const r = await h.client.copyDirectory({
      Bucket: h.bucket,
      Prefix: 'to/',
      CopySource: { Bucket: h.bucket, Region: 'ap-guangzhou', Prefix: 'from/' },
      CheckpointDir: join(h.dir, 'cp'),
      onFileFinish: (_e, f) => finished.push([f.key, f.status, f.reason]),
      ...extra,
    });
    return { r, finished: finished.sort() };
  };

  test('an SSE-C prefix into SSE-COS; SkipExisting compares with both keys and re-copies a target of other encryption', async () => {
    const first = await run({ CopySourceSSECustomerKey: KEY, ServerSideEncryption: 'AES256' });
    assert.deepEqual(first.finished, [
      ['to/a.txt', 'copied', undefined],
      ['to/d/b.txt', 'copied', undefined],
    ]);
    for (const Key of ['to/a.txt', 'to/d/b.txt']) {
      const head = await h.client.headObject({ Bucket: h.bucket, Key });
      assert.equal(head['x-cos-server-side-encryption'], 'AES256', Key);
    }
    const again = await run({
      CopySourceSSECustomerKey: KEY,
      ServerSideEncryption: 'AES256',
      SkipExisting: true,
    });
    assert.deepEqual(again.finished, [
      ['to/a.txt', 'skipped', undefined],
      ['to/d/b.txt', 'skipped', undefined],
    ]);
    // Asked for SSE-C now: the SSE-COS targets are not what this copy makes.
    const rekey = await run({ CopySourceSSECustomerKey: KEY, SSECustomerKey: OTHER_KEY, SkipExisting: true });
    assert.deepEqual(rekey.finished, [
      ['to/a.txt', 'copied', undefined],
      ['to/d/b.txt', 'copied', undefined],
    ]);
    const r = await h.client.getObject({ Bucket: h.bucket, Key: 'to/a.txt', SSECustomerKey: OTHER_KEY });
    const chunks: Buffer[] = [];
    for await (const c of r.Body) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'aaaa');

    // Without the source key every object fails with the server's answer; nothing new is written.
    const noKey = await run({ Prefix: 'none/' });
    assert.deepEqual(noKey.r.failed.map((f) => [f.key, (f.error as CosServiceError).statusCode]).sort(), [
      ['none/a.txt', 400],
      ['none/d/b.txt', 400],
    ]);
    assert.deepEqual((await h.client.listObjects({ Bucket: h.bucket, Prefix: 'none/' })).Contents, []);
  });
});
