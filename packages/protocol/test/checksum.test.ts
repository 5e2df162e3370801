/**
 * The S3 upload checksums: CRC-32 and CRC-32C check values, AWS's published CRC32C of its trailer
 * example, agreement with Node's zlib.crc32 and node:crypto on random data fed in random pieces, and
 * the verifying payload decoder (BadDigest on a mismatch, header or trailer).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { crc32 as zlibCrc32 } from 'node:zlib';
import * as nodeCrc32 from '../src/checksum/crc32-node.js';
import * as webCrc32 from '../src/checksum/crc32-web.js';
import * as nodeMd5 from '../src/checksum/md5-node.js';
import * as webMd5 from '../src/checksum/md5-web.js';
import {
  AwsChunkedDecoder,
  awsChecksumOf,
  base64ToBytes,
  bytesToBase64,
  checksumDigest,
  checksumTypesOf,
  compositeChecksum,
  createCrc32,
  createCrc32c,
  createCrc64Nvme,
  declaredChecksum,
  defaultChecksumType,
  fullObjectChecksum,
  md5Base64,
  md5Hex,
  parseChecksumAlgorithm,
  SigV4Error,
  UnsignedPayloadDecoder,
  verifyingChecksum,
} from '../src/index.js';

const text = (s: string) => new TextEncoder().encode(s);

test("CRC-32 and CRC-32C give the standard check values and AWS's published trailer checksum", () => {
  assert.equal(createCrc32().update(text('123456789')).value(), 0xcbf43926);
  assert.equal(createCrc32c().update(text('123456789')).value(), 0xe3069283);
  assert.equal(createCrc32().value(), 0);
  // "Signature calculations for trailing headers": 66 560 bytes of 'a' carry x-amz-checksum-crc32c:sOO8/Q==.
  assert.equal(awsChecksumOf('crc32c', new Uint8Array(66560).fill(0x61)), 'sOO8/Q==');
  // What @aws-sdk/client-s3 sends for the body "abc".
  assert.equal(awsChecksumOf('crc32', text('abc')), 'NSRBwg==');
  assert.equal(awsChecksumOf('sha256', text('abc')), createHash('sha256').update('abc').digest('base64'));
  assert.equal(awsChecksumOf('sha1', text('abc')), createHash('sha1').update('abc').digest('base64'));
});

test('CRC-64/NVME gives its check value, whatever the piece sizes', () => {
  // The catalogue check value of CRC-64/NVME for "123456789".
  assert.equal(
    Buffer.from(awsChecksumOf('crc64nvme', text('123456789'))!, 'base64').toString('hex'),
    'ae8b14860a799888',
  );
  const data = new Uint8Array(100_003).map((_, i) => (i * 131 + 7) & 0xff);
  const whole = awsChecksumOf('crc64nvme', data);
  const crc = createCrc64Nvme();
  for (let at = 0; at < data.length; at += 7919) crc.update(data.subarray(at, at + 7919));
  assert.equal(Buffer.from(crc.digest()).toString('base64'), whole);
  assert.equal(Buffer.from(createCrc64Nvme().digest()).toString('hex'), '0000000000000000');
});

test("incremental CRC-32 (native zlib behind #crc32 under Node, and the browser's pure-JS table) equals zlib.crc32 whatever the piece sizes", () => {
  let seed = 99;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let round = 0; round < 200; round++) {
    const data = new Uint8Array(next(5000)).map(() => next(256));
    const crc = createCrc32();
    for (let i = 0; i < data.length; ) {
      const step = 1 + next(300);
      crc.update(data.subarray(i, i + step));
      i += step;
    }
    assert.equal(crc.value(), zlibCrc32(data), `length ${data.length}`);
    let web = 0;
    let node = 0;
    for (let i = 0; i < data.length; i += 97) {
      web = webCrc32.crc32Update(web, data.subarray(i, i + 97));
      node = nodeCrc32.crc32Update(node, data.subarray(i, i + 97));
    }
    assert.equal(web, zlibCrc32(data));
    assert.equal(node, web);
  }
});

function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof SigV4Error && e.cosCode === code);
}

test('MD5 behind #md5 (native under Node, pure JS for browsers) and base64 equal node:crypto whatever the piece sizes', () => {
  assert.equal(md5Hex(text('')), 'd41d8cd98f00b204e9800998ecf8427e');
  let seed = 7;
  for (const size of [0, 1, 55, 56, 64, 1000, 70_000, 200_003]) {
    const bytes = new Uint8Array(size).map(() => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed & 0xff;
    });
    const expected = createHash('md5').update(bytes).digest();
    const node = nodeMd5.createMd5();
    const web = webMd5.createMd5();
    for (let at = 0; at < size; ) {
      const piece = bytes.subarray(at, at + 1 + (seed % 9000));
      node.update(piece);
      web.update(piece);
      at += piece.length;
    }
    assert.deepEqual(Buffer.from(node.digest()), expected, `node, ${size} bytes`);
    assert.deepEqual(Buffer.from(web.digest()), expected, `web, ${size} bytes`);
    assert.equal(md5Base64(bytes), expected.toString('base64'));
    assert.equal(bytesToBase64(bytes), Buffer.from(bytes).toString('base64'));
  }
});

test('base64ToBytes decodes what Buffer encodes and refuses every other form', () => {
  for (const size of [0, 1, 2, 3, 31, 32, 33, 1000]) {
    const data = Buffer.from(Array.from({ length: size }, (_, i) => (size + i * 7) % 256));
    assert.deepEqual(Buffer.from(base64ToBytes(data.toString('base64'))!), data, `${size} bytes`);
  }
  for (const bad of ['abc', 'ab=c', 'a===', '****', 'QQ', 'QR==', ' QUFB', 'QUFB\n'])
    assert.equal(base64ToBytes(bad), undefined, JSON.stringify(bad));
});

test('the verifying decoder: header and trailer checksums, BadDigest on a mismatch', () => {
  const body = text('checksummed body');
  const crc = awsChecksumOf('crc32', body)!;
  const ok = verifyingChecksum(new UnsignedPayloadDecoder(), { algorithm: 'crc32', value: crc });
  ok.push(body);
  ok.end();
  const bad = verifyingChecksum(new UnsignedPayloadDecoder(), { algorithm: 'crc32', value: crc });
  bad.push(text('checksummed bodY'));
  throwsCode(() => bad.end(), 'BadDigest');

  const chunked = (trailerValue: string | undefined) => {
    const d = verifyingChecksum(
      new AwsChunkedDecoder({
        trailer: 'unsigned',
        trailerNames: ['x-amz-checksum-crc32c'],
        decodedLength: body.length,
      }),
      { algorithm: 'crc32c', trailer: true },
    );
    const trailer = trailerValue === undefined ? '' : `x-amz-checksum-crc32c:${trailerValue}\r\n`;
    d.push(text(`${body.length.toString(16)}\r\n`));
    d.push(body);
    d.push(text(`\r\n0\r\n${trailer}\r\n`));
    return d.end();
  };
  assert.equal(
    chunked(awsChecksumOf('crc32c', body)).get('x-amz-checksum-crc32c'),
    awsChecksumOf('crc32c', body),
  );
  throwsCode(() => chunked('AAAAAA=='), 'BadDigest');
  throwsCode(() => chunked(undefined), 'MalformedTrailerError');

  const headers = (h: Record<string, string>) => (n: string) => h[n];
  assert.deepEqual(declaredChecksum(headers({ 'x-amz-checksum-sha256': ' x ' }), []), {
    algorithm: 'sha256',
    value: 'x',
  });
  assert.deepEqual(declaredChecksum(headers({}), ['x-amz-checksum-crc32']), {
    algorithm: 'crc32',
    trailer: true,
  });
  assert.equal(declaredChecksum(headers({}), []), undefined);
  throwsCode(
    () => declaredChecksum(headers({ 'x-amz-checksum-crc32': 'a', 'x-amz-checksum-sha1': 'b' }), []),
    'InvalidRequest',
  );
  // SHA-1 and CRC-64/NVME are verified like the others.
  for (const algorithm of ['sha1', 'crc64nvme'] as const) {
    const wrong = verifyingChecksum(new UnsignedPayloadDecoder(), { algorithm, value: 'AAAAAAAAAAA=' });
    wrong.push(body);
    throwsCode(() => wrong.end(), 'BadDigest');
    let seen: string | undefined;
    const right = verifyingChecksum(
      new UnsignedPayloadDecoder(),
      { algorithm, value: awsChecksumOf(algorithm, body)! },
      (v) => {
        seen = v;
      },
    );
    right.push(body);
    right.end();
    assert.equal(seen, awsChecksumOf(algorithm, body));
  }
});

test('multipart checksums: COMPOSITE matches the values ceph/s3-tests publishes, FULL_OBJECT equals the CRC over the bytes', () => {
  // ceph/s3-tests test_multipart_checksum_sha256 and test_multipart_reupload_checksum_and_etag.
  assert.equal(
    compositeChecksum('sha256', ['arcu6553sHVAiX4MjW0j7I7vD4w6R+Gz9Ok0Q9lTa+0=']),
    'Ok6Cs5b96ux6+MWQkJO7UBT5sKPBeXBLwvj/hK89smg=-1',
  );
  assert.equal(
    compositeChecksum('sha256', [
      '275VF5loJr1YYawit0XSHREhkFXYkkPKGuoK0x9VKxI=',
      'mrHwOfjTL5Zwfj74F05HOQGLdUb7E5szdCbxgUSq6NM=',
      'Vw7oB/nKQ5xWb3hNgbyfkvDiivl+U+/Dft48nfJfDow=',
    ]),
    'uWBwpe1dxI4Vw8Gf0X9ynOdw/SS6VBzfWm9giiv1sf4=-3',
  );
  const data = randomBytes(70_001);
  const cuts = [0, 1, 4096, 4097, 65_536, 70_001];
  for (const algorithm of ['crc32', 'crc32c', 'crc64nvme'] as const) {
    const parts = [];
    for (let i = 1; i < cuts.length; i++) {
      const slice = data.subarray(cuts[i - 1], cuts[i]);
      parts.push({ value: awsChecksumOf(algorithm, slice)!, size: slice.length });
    }
    assert.equal(fullObjectChecksum(algorithm, parts), awsChecksumOf(algorithm, data), algorithm);
    const composite = compositeChecksum(
      algorithm,
      parts.map((p) => p.value),
    );
    assert.match(composite, /-5$/);
  }
  assert.throws(() => fullObjectChecksum('sha256', [{ value: 'x', size: 1 }]), RangeError);
  assert.throws(() => compositeChecksum('crc32', ['not base64']), RangeError);
  assert.deepEqual(checksumDigest('crc32', 'NSRBwg=='), new Uint8Array([0x35, 0x24, 0x41, 0xc2]));
  assert.equal(checksumDigest('crc32', 'NSRBwgAA'), undefined);
  assert.deepEqual(checksumTypesOf('crc64nvme'), ['FULL_OBJECT']);
  assert.equal(defaultChecksumType('crc32'), 'COMPOSITE');
  assert.equal(parseChecksumAlgorithm('CRC64NVME'), 'crc64nvme');
  assert.equal(parseChecksumAlgorithm('MD5'), undefined);
});
