/**
 * POST Object with an S3 (SigV4) policy: the form fields boto3's `generate_presigned_post` and the AWS
 * docs use (`x-amz-algorithm`, `x-amz-credential`, `x-amz-date`, `x-amz-signature`, `policy`), signed
 * here with node:crypto's HMAC chain (not the server's code), posted as a browser would (FormData).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DEVELOPMENT_CREDENTIAL } from '../src/index.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { s3Client } from './support/s3.js';

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

function signedFields(
  bucket: string,
  conditions: unknown[],
  opts: { secret?: string; region?: string; expires?: Date } = {},
): Record<string, string> {
  const now = new Date();
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const region = opts.region ?? REGION;
  const credential = `${DEVELOPMENT_CREDENTIAL.secretId}/${day}/${region}/s3/aws4_request`;
  const policy = Buffer.from(
    JSON.stringify({
      expiration: (opts.expires ?? new Date(now.getTime() + 600_000)).toISOString(),
      conditions: [
        { bucket },
        { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
        { 'x-amz-credential': credential },
        { 'x-amz-date': amzDate },
        ...conditions,
      ],
    }),
  ).toString('base64');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${opts.secret ?? DEVELOPMENT_CREDENTIAL.secretKey}`, day), region), 's3'),
    'aws4_request',
  );
  return {
    'x-amz-algorithm': 'AWS4-HMAC-SHA256',
    'x-amz-credential': credential,
    'x-amz-date': amzDate,
    policy,
    'x-amz-signature': createHmac('sha256', key).update(policy).digest('hex'),
  };
}

describe('POST Object with a SigV4 policy', () => {
  let h: Harness;
  let s3: S3Client;
  const Bucket = bucketName();
  const post = (fields: Record<string, string>, file: string) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([file]), 'upload.txt');
    return fetch(`http://127.0.0.1:${h.server.port}/${Bucket}`, { method: 'POST', body: form });
  };

  before(async () => {
    h = await startHarness({ storage: 'memory' });
    assert.equal((await call(h.cos, 'putBucket', { Bucket, Region: REGION })).err, null);
    s3 = s3Client(h);
  });
  after(async () => {
    s3?.destroy();
    await h.close();
  });

  test('a signed form stores the file with its x-amz-meta-* and Content-Type; 201 answers S3 PostResponse', async () => {
    const fields = {
      key: 'forms/${filename}',
      'Content-Type': 'text/plain',
      'x-amz-meta-origin': 'form',
      success_action_status: '201',
      ...signedFields(Bucket, [
        ['starts-with', '$key', 'forms/'],
        { 'Content-Type': 'text/plain' },
        { 'x-amz-meta-origin': 'form' },
        { success_action_status: '201' },
        ['content-length-range', 1, 1024],
      ]),
    };
    const r = await post(fields, 'posted with SigV4');
    const text = await r.text();
    assert.equal(r.status, 201, text);
    assert.match(text, /<PostResponse xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Location>/);
    assert.match(text, /<Key>forms\/upload.txt<\/Key>/);
    assert.match(String(r.headers.get('x-amz-request-id')), /.+/);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'forms/upload.txt' }));
    assert.equal(head.ContentType, 'text/plain');
    assert.deepEqual(head.Metadata, { origin: 'form' });
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'forms/upload.txt' }));
    assert.equal(await got.Body!.transformToString(), 'posted with SigV4');
  });

  test('fields sent as file parts (as Python requests sends them) are read as fields', async () => {
    const fields = { key: 'forms/as-file.txt', ...signedFields(Bucket, [{ key: 'forms/as-file.txt' }]) };
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, new Blob([v]), k);
    form.append('file', new Blob(['sent like requests']), 'file');
    const r = await fetch(`http://127.0.0.1:${h.server.port}/${Bucket}`, { method: 'POST', body: form });
    assert.equal(r.status, 204, await r.text());
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'forms/as-file.txt' }));
    assert.equal(await got.Body!.transformToString(), 'sent like requests');
  });

  test('refusals: wrong secret, broken condition, expired policy, wrong region, missing field; nothing stored', async () => {
    const base = { key: 'forms/refused.txt' };
    const cases: [Record<string, string>, number, string][] = [
      [
        { ...base, ...signedFields(Bucket, [{ key: 'forms/refused.txt' }], { secret: 'wrong' }) },
        403,
        'SignatureDoesNotMatch',
      ],
      [{ ...base, ...signedFields(Bucket, [{ key: 'forms/other.txt' }]) }, 403, 'AccessDenied'],
      [
        {
          ...base,
          ...signedFields(Bucket, [{ key: 'forms/refused.txt' }], { expires: new Date(Date.now() - 1000) }),
        },
        403,
        'AccessDenied',
      ],
      [
        { ...base, ...signedFields(Bucket, [{ key: 'forms/refused.txt' }], { region: 'us-east-1' }) },
        400,
        'AuthorizationHeaderMalformed',
      ],
    ];
    const { 'x-amz-date': _drop, ...noDate } = signedFields(Bucket, [{ key: 'forms/refused.txt' }]);
    cases.push([{ ...base, ...noDate }, 403, 'AccessDenied']);
    for (const [fields, status, code] of cases) {
      const r = await post(fields, 'refused');
      const text = await r.text();
      assert.equal(r.status, status, text);
      assert.match(text, new RegExp(`<Code>${code}</Code>`));
      assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?><Error>/, 'S3 error body');
    }
    assert.equal(
      (await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'forms/refused.txt' })).err?.statusCode,
      404,
    );
  });
  test("the form's `tagging` field (a <Tagging> document) tags the object; a malformed one is 400 MalformedXML", async () => {
    const tagging =
      '<Tagging><TagSet><Tag><Key>0</Key><Value>0</Value></Tag><Tag><Key>1</Key><Value>1</Value></Tag></TagSet></Tagging>';
    const fields = { key: 'forms/tagged.txt', tagging };
    const res = await post(
      { ...fields, ...signedFields(Bucket, [{ key: fields.key }, { tagging }]) },
      'tagged',
    );
    assert.equal(res.status, 204, await res.text());
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'forms/tagged.txt' }));
    assert.deepEqual(
      tags.TagSet?.map((t) => [t.Key, t.Value]),
      [
        ['0', '0'],
        ['1', '1'],
      ],
    );
    const bad = { key: 'forms/bad-tags.txt', tagging: '<Tagging><TagSet>' };
    const refused = await post(
      { ...bad, ...signedFields(Bucket, [{ key: bad.key }, { tagging: bad.tagging }]) },
      'x',
    );
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /<Code>MalformedXML<\/Code>/);
    const head = await s3
      .send(new HeadObjectCommand({ Bucket, Key: 'forms/bad-tags.txt' }))
      .catch((e: { name?: string }) => e);
    assert.equal((head as { name?: string }).name, 'NotFound');
  });
});
