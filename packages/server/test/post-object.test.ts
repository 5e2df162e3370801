/**
 * POST Object over raw HTTP: the signed form (policy + q-sign fields) stores the file with the
 * form's headers and metadata, every policy condition is enforced with COS's errors and a refused
 * form stores nothing, the file streams into the store while it arrives, and a cut body is dropped.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { COS_ERRORS, crc64, crc64ToDecimal } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { BOUNDARY, formBody, postForm, signedFields } from './support/post-form.js';
import { errorCode } from './support/raw.js';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

describe('POST Object', () => {
  let h: Harness;
  const Bucket = bucketName();
  const Public = bucketName();
  before(async () => {
    h = await startHarness();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    await call(h.cos, 'putBucket', { Bucket: Public, Region: REGION, ACL: 'public-read-write' });
  });
  after(() => h.close());

  const post = (
    fields: Record<string, string>,
    bytes: Buffer,
    extra: { filename?: string; name?: string } = {},
    bucket = Bucket,
  ) => postForm({ port: h.server.port, bucket, body: formBody(fields, { bytes, ...extra }) });
  const head = (Key: string) => call(h.cos, 'headObject', { Bucket, Region: REGION, Key });

  test('a signed form stores the file with the form Content-Type and x-cos-meta-*; 204 with ETag, CRC-64, Location', async () => {
    const bytes = Buffer.from('a photo, honestly');
    const fields = signedFields(Bucket, {
      key: 'photos/a.jpg',
      fields: { 'Content-Type': 'image/png', 'x-cos-meta-author': 'ann', 'Cache-Control': 'max-age=60' },
    });
    const r = await post(fields, bytes);
    assert.equal(r.status, 204, r.text);
    assert.equal(r.headers.etag, `"${md5(bytes)}"`);
    assert.equal(r.headers['x-cos-hash-crc64ecma'], crc64ToDecimal(crc64(bytes)));
    assert.equal(r.headers.location, `http://${Bucket}.cos.${REGION}.myqcloud.com/photos/a.jpg`);
    const got = await call(h.cos, 'getObject', { Bucket, Region: REGION, Key: 'photos/a.jpg' });
    assert.ok((got.data.Body as Buffer).equals(bytes));
    assert.equal(got.data.headers['content-type'], 'image/png', 'the form field, not the file part type');
    assert.equal(got.data.headers['x-cos-meta-author'], 'ann');
    assert.equal(got.data.headers['cache-control'], 'max-age=60');
  });

  test('${filename}, Content-Type from the key extension, success_action_status, success_action_redirect', async () => {
    const bytes = Buffer.from('<svg/>');
    const r = await post(signedFields(Bucket, { key: 'in/${filename}', keyPrefix: 'in/' }), bytes, {
      filename: 'logo.svg',
    });
    assert.equal(r.status, 204, r.text);
    assert.equal(r.headers.location, `http://${Bucket}.cos.${REGION}.myqcloud.com/in/logo.svg`);
    assert.equal((await head('in/logo.svg')).data.headers['content-type'], 'image/svg+xml');

    const created = await post(
      signedFields(Bucket, { key: 'status', fields: { success_action_status: '201' } }),
      bytes,
    );
    assert.equal(created.status, 201);
    const ignored = await post(
      signedFields(Bucket, { key: 'status2', fields: { success_action_status: '302' } }),
      bytes,
    );
    assert.equal(ignored.status, 204, 'a status other than 200/201/204 falls back to 204');

    const redirect = 'https://my.website/done.html?from=form';
    const moved = await post(
      signedFields(Bucket, { key: 'r k', fields: { success_action_redirect: redirect } }),
      bytes,
    );
    assert.equal(moved.status, 303);
    const to = new URL(String(moved.headers.location));
    assert.equal(`${to.origin}${to.pathname}`, 'https://my.website/done.html');
    assert.equal(to.searchParams.get('from'), 'form');
    assert.equal(to.searchParams.get('bucket'), Bucket);
    assert.equal(to.searchParams.get('key'), 'r k');
    assert.equal(to.searchParams.get('etag'), `"${md5(bytes)}"`);
  });

  test('every policy condition is enforced; a refused form stores nothing', async () => {
    const bytes = Buffer.from('0123456789');
    const cases: [string, Record<string, string>, string, number?][] = [
      // key outside the prefix the policy allows
      [
        'starts-with $key',
        { ...signedFields(Bucket, { keyPrefix: 'allowed/' }), key: 'other/x' },
        'AccessDenied',
      ],
      // Content-Type the page changed after signing
      [
        'eq $Content-Type',
        {
          ...signedFields(Bucket, { key: 'ct', fields: { 'Content-Type': 'image/png' } }),
          'Content-Type': 'text/html',
        },
        'AccessDenied',
      ],
      // a field the policy binds but the form leaves out
      [
        'missing bound field',
        (() => {
          const f = signedFields(Bucket, { key: 'meta', fields: { 'x-cos-meta-a': '1' } });
          delete f['x-cos-meta-a'];
          return f;
        })(),
        'AccessDenied',
      ],
      // signed for another bucket
      ['bucket', { ...signedFields('other-1250000000', { key: 'b' }) }, 'AccessDenied'],
      [
        'expired',
        signedFields(Bucket, { key: 'late', now: () => Date.now() - 3_600_000, expires: 60 }),
        'AccessDenied',
      ],
      ['too large', signedFields(Bucket, { key: 'big', contentLengthRange: [1, 9] }), 'EntityTooLarge'],
      ['too small', signedFields(Bucket, { key: 'small', contentLengthRange: [11, 100] }), 'EntityTooSmall'],
      [
        'bad signature',
        { ...signedFields(Bucket, { key: 'sig' }), 'q-signature': 'f'.repeat(40) },
        'SignatureDoesNotMatch',
      ],
      [
        'unknown key id',
        { ...signedFields(Bucket, { key: 'ak' }), 'q-ak': 'AKIDUNKNOWN' },
        'InvalidAccessKeyId',
      ],
      ['not base64', { ...signedFields(Bucket, { key: 'p' }), policy: '%%%' }, 'InvalidPolicyDocument'],
      ['half signed', { key: 'half', policy: signedFields(Bucket, { key: 'half' }).policy! }, 'AccessDenied'],
      [
        'no key field',
        (() => {
          const f = signedFields(Bucket, { keyPrefix: '' });
          delete f['key'];
          return f;
        })(),
        'InvalidArgument',
      ],
      ['anonymous, private bucket', { key: 'anon' }, 'AccessDenied'],
    ];
    for (const [what, fields, code] of cases) {
      const r = await post(fields, bytes);
      assert.equal(errorCode(r), code, `${what}: ${r.text}`);
      assert.equal(r.status, COS_ERRORS[code as keyof typeof COS_ERRORS].status, what);
      assert.match(r.text, /<RequestId>[^<]+<\/RequestId>/, what);
    }
    const listed = await call(h.cos, 'getBucket', { Bucket, Region: REGION, Prefix: '' });
    const keys = listed.data.Contents.map((c: { Key: string }) => c.Key);
    for (const k of ['other/x', 'ct', 'meta', 'b', 'late', 'big', 'small', 'sig', 'ak', 'p', 'half', 'anon'])
      assert.ok(!keys.includes(k), `${k} must not be stored`);
    // Within range and exactly as bound: accepted.
    const ok = await post(signedFields(Bucket, { key: 'exact', contentLengthRange: [10, 10] }), bytes);
    assert.equal(ok.status, 204, ok.text);
  });

  test('anonymous forms reach only a public-read-write bucket', async () => {
    const r = await post({ key: 'dropbox/x.txt' }, Buffer.from('hi'), {}, Public);
    assert.equal(r.status, 204, r.text);
    assert.equal(
      (await call(h.cos, 'headObject', { Bucket: Public, Region: REGION, Key: 'dropbox/x.txt' })).err,
      null,
    );
  });

  test('malformed forms: no file, a file under another name, not multipart, a form cut short', async () => {
    const fields = signedFields(Bucket, { key: 'shape' });
    const noFile = await postForm({ port: h.server.port, bucket: Bucket, body: formBody(fields, undefined) });
    assert.equal(errorCode(noFile), 'IncorrectNumberOfFilesInPostRequest');
    const otherName = await post(fields, Buffer.from('x'), { name: 'upload' });
    assert.equal(errorCode(otherName), 'IncorrectNumberOfFilesInPostRequest');
    const notForm = await postForm({
      port: h.server.port,
      bucket: Bucket,
      body: Buffer.from('key=x'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(notForm.status, 405, 'a bucket-level POST that is no form upload is not POST Object');
    const huge = await post({ ...fields, 'x-cos-meta-pad': 'p'.repeat(70 * 1024) }, Buffer.from('x'));
    assert.equal(errorCode(huge), 'MaxPostPreDataLengthExceededError');
    // The closing boundary never comes: nothing is stored even though the file part began.
    const whole = formBody(signedFields(Bucket, { key: 'cut' }), { bytes: Buffer.alloc(200_000, 7) });
    const cut = await postForm({
      port: h.server.port,
      bucket: Bucket,
      body: whole.subarray(0, whole.length - 60_000),
      headers: { 'content-length': String(whole.length - 60_000) },
    });
    assert.equal(errorCode(cut), 'MalformedPOSTRequest');
    assert.equal((await head('cut')).err?.statusCode, 404);
    assert.equal((await head('shape')).err?.statusCode, 404);
  });

  test('the file streams into the store while it arrives (not buffered until the end)', async () => {
    const fields = signedFields(Bucket, { key: 'streamed.bin' });
    const file = Buffer.alloc(6 * 1024 * 1024, 3);
    const body = formBody(fields, { bytes: file });
    const head4 = body.subarray(0, body.length - file.length - 100 + 3 * 1024 * 1024);
    const socket = connect(h.server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let text = '';
    const answer = new Promise<string>((resolve) => {
      socket.on('data', (c) => {
        text += c;
        if (text.includes('\r\n\r\n')) resolve(text);
      });
    });
    socket.write(
      `POST / HTTP/1.1\r\nHost: ${Bucket}.cos.${REGION}.myqcloud.com\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(head4);
    // Half the file sent: its bytes are already in a temp blob on disk.
    const tmp = join(h.dataDir, 'tmp');
    let written = 0;
    for (const until = Date.now() + 10_000; written < 1024 * 1024 && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 20));
      const names = await readdir(tmp);
      written = (
        await Promise.all(
          names.map((n) =>
            stat(join(tmp, n)).then(
              (s) => s.size,
              () => 0,
            ),
          ),
        )
      ).reduce((a, b) => a + b, 0);
    }
    assert.ok(written >= 1024 * 1024, `only ${written} bytes reached the store before the body ended`);
    socket.write(body.subarray(head4.length));
    assert.match(await answer, /^HTTP\/1\.1 204/);
    socket.destroy();
    assert.equal((await head('streamed.bin')).data.headers['content-length'], String(file.length));
  });

  test('a client that disconnects mid-file leaves no object and no temp file', async () => {
    const body = formBody(signedFields(Bucket, { key: 'dropped.bin' }), {
      bytes: Buffer.alloc(3 * 1024 * 1024, 1),
    });
    const socket = connect(h.server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST / HTTP/1.1\r\nHost: ${Bucket}.cos.${REGION}.myqcloud.com\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.subarray(0, 2 * 1024 * 1024));
    const tmp = join(h.dataDir, 'tmp');
    for (const until = Date.now() + 10_000; (await readdir(tmp)).length === 0 && Date.now() < until; )
      await new Promise((r) => setTimeout(r, 20));
    assert.ok((await readdir(tmp)).length > 0, 'the upload had started writing');
    socket.destroy();
    for (const until = Date.now() + 10_000; (await readdir(tmp)).length > 0 && Date.now() < until; )
      await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await readdir(tmp), [], 'the partial file was removed');
    assert.equal((await head('dropped.bin')).err?.statusCode, 404);
  });
});
