import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LIMITS } from '@coskit/protocol';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, type RawResponse, rawRequest } from './support/raw.js';

/** A small deterministic PRNG (mulberry32), so a failing input can be reproduced. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'a',
  'Z',
  '9',
  '/',
  '-',
  '.',
  '..',
  '%',
  '%25',
  '%00',
  '%FF',
  '%E6%96%87',
  '文',
  '😀',
  ' ',
  '+',
  '&',
  '=',
  '\t',
  '\u0001',
  '\u001b',
];
const LENGTHS = [0, 1, 2, 849, 850, 851, 1024, 2000, 5000, 12_000];

/** A raw query value: pieces already percent-encoded where needed, of about `length` characters. */
function fuzzValue(rand: () => number, length: number): string {
  let out = '';
  while (out.length < length) {
    const piece = PIECES[Math.floor(rand() * PIECES.length)]!;
    out += /^%/.test(piece) ? piece : encodeURIComponent(piece);
  }
  return out;
}

describe('every list and copy parameter is bounded before the store (issue 9 item 4)', () => {
  let h: Harness;
  const Bucket = bucketName();
  let uploadId = '';
  before(async () => {
    h = await startHarness();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
    await call(h.cos, 'putObject', { Bucket, Region: REGION, Key: 'src', Body: 'source bytes' });
    uploadId = (await call(h.cos, 'multipartInit', { Bucket, Region: REGION, Key: 'dst' })).data.UploadId;
  });
  after(() => h.close());

  function assertCosError(res: RawResponse, what: string): void {
    assert.ok(res.status < 500, `${what}: ${res.status} ${res.text.slice(0, 300)}`);
    if (res.status >= 400) assert.match(res.text, /<Code>[A-Za-z]+<\/Code>/, what);
  }

  test('the reported 500s: 5000-byte markers and prefixes, a 10 000-byte copy-source key', async () => {
    const long = 'm'.repeat(5000);
    for (const [query, code] of [
      [{ marker: long }, 'KeyTooLong'],
      [{ prefix: long }, 'KeyTooLong'],
      [{ delimiter: long }, 'InvalidArgument'],
      [{ uploads: '', 'key-marker': long }, 'KeyTooLong'],
      [{ uploads: '', 'key-marker': 'k', 'upload-id-marker': long }, 'InvalidArgument'],
      [{ uploads: '', prefix: long }, 'KeyTooLong'],
      [{ uploads: '', delimiter: long }, 'InvalidArgument'],
    ] as const) {
      const r = await rawRequest({ port: h.server.port, method: 'GET', bucket: Bucket, query });
      assert.equal(r.status, 400, `${Object.keys(query)}: ${r.text}`);
      assert.equal(errorCode(r), code, Object.keys(query).join());
    }
    const putCopy = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Bucket,
      key: 'copy-dst',
      headers: { 'x-cos-copy-source': `${'b'.repeat(3000)}-1250000000.cos.${REGION}.myqcloud.com/src` },
    });
    assert.ok(putCopy.status >= 400 && putCopy.status < 500, putCopy.text);
    const copy = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Bucket,
      key: 'dst',
      query: { partNumber: '1', uploadId },
      headers: { 'x-cos-copy-source': `${Bucket}.cos.${REGION}.myqcloud.com/${'k'.repeat(10_000)}` },
    });
    assert.equal(copy.status, 400, copy.text);
    assert.equal(errorCode(copy), 'KeyTooLong');
    const longId = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'dst',
      query: { uploadId: 'u'.repeat(5000) },
    });
    assert.equal(errorCode(longId), 'NoSuchUpload');
    // A value just at the limit is still a valid (empty) listing.
    const atLimit = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      query: { marker: 'm'.repeat(LIMITS.maxKeyBytes) },
    });
    assert.equal(atLimit.status, 200, atLimit.text);
  });

  test('fuzz: no list or copy parameter value produces a 500', async () => {
    const rand = prng(9);
    const lists: { key?: string; base: Record<string, string>; params: string[] }[] = [
      { base: {}, params: ['prefix', 'delimiter', 'marker', 'max-keys', 'encoding-type'] },
      {
        base: { uploads: '' },
        params: ['prefix', 'delimiter', 'key-marker', 'upload-id-marker', 'max-uploads', 'encoding-type'],
      },
      { key: 'dst', base: {}, params: ['uploadId', 'max-parts', 'part-number-marker', 'encoding-type'] },
    ];
    let sent = 0;
    for (const list of lists) {
      for (const param of list.params) {
        for (const length of LENGTHS) {
          const value = fuzzValue(rand, length);
          const base = Object.entries({ ...list.base, ...(list.key ? { uploadId } : {}) })
            .filter(([n]) => n !== param)
            .map(([n, v]) => (v === '' ? n : `${n}=${encodeURIComponent(v)}`));
          const rawQuery = [...base, `${param}=${value}`].join('&');
          const decoded = (() => {
            try {
              return decodeURIComponent(value);
            } catch {
              return undefined;
            }
          })();
          const query = Object.fromEntries([
            ...Object.entries({ ...list.base, ...(list.key ? { uploadId } : {}) }).filter(
              ([n]) => n !== param,
            ),
            [param, decoded ?? ''],
          ]);
          const res = await rawRequest({
            port: h.server.port,
            method: 'GET',
            bucket: Bucket,
            key: list.key ?? '',
            rawQuery,
            query,
          });
          assertCosError(res, `${param} (${length} chars)`);
          sent++;
        }
      }
    }
    const copyHeaders = (rand2: () => number, length: number): Record<string, string>[] => [
      { 'x-cos-copy-source': `${Bucket}.cos.${REGION}.myqcloud.com/${fuzzValue(rand2, length)}` },
      {
        'x-cos-copy-source': `${fuzzValue(rand2, Math.min(length, 200))}-1250000000.cos.${REGION}.myqcloud.com/src`,
      },
      { 'x-cos-copy-source': fuzzValue(rand2, length) },
      {
        'x-cos-copy-source': `${Bucket}.cos.${REGION}.myqcloud.com/src?versionId=${fuzzValue(rand2, length)}`,
      },
      {
        'x-cos-copy-source': `${Bucket}.cos.${REGION}.myqcloud.com/src`,
        'x-cos-copy-source-range': `bytes=${fuzzValue(rand2, Math.min(length, 40))}`,
      },
    ];
    for (const length of LENGTHS) {
      for (const headers of copyHeaders(rand, Math.min(length, 12_000))) {
        // PUT Object - Copy reads the same headers.
        const putCopy = await rawRequest({
          port: h.server.port,
          method: 'PUT',
          bucket: Bucket,
          key: 'copy-dst',
          headers,
        });
        assertCosError(putCopy, `PUT copy ${JSON.stringify(headers).slice(0, 120)}`);
        sent++;
        for (const query of [
          { partNumber: '1', uploadId },
          { partNumber: fuzzValue(rand, Math.min(length, 30)), uploadId },
          { partNumber: '2', uploadId: fuzzValue(rand, length) },
        ]) {
          const res = await rawRequest({
            port: h.server.port,
            method: 'PUT',
            bucket: Bucket,
            key: 'dst',
            query: Object.fromEntries(
              Object.entries(query).map(([n, v]) => {
                try {
                  return [n, decodeURIComponent(v)];
                } catch {
                  return [n, v];
                }
              }),
            ),
            headers,
          });
          assertCosError(res, `copy ${JSON.stringify(headers).slice(0, 120)}`);
          sent++;
        }
      }
    }
    assert.ok(sent >= 300, `${sent} requests`);
    // The server is still healthy and the upload intact.
    assert.equal(
      (await call(h.cos, 'multipartListPart', { Bucket, Region: REGION, Key: 'dst', UploadId: uploadId }))
        .err,
      null,
    );
  });
});
