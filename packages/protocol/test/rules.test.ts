import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COS_ERRORS,
  checkBucketName,
  checkObjectKey,
  checkPageSize,
  checkPartNumber,
  checkTrafficLimit,
  decodeListingValue,
  encodeKeyPath,
  encodeListingValue,
  encodeRfc3986,
  headerForParam,
  paramForHeader,
  paramsToHeaders,
  parseQuery,
  splitBucketName,
  statusOfCosError,
  userMetadataBytes,
} from '../src/index.js';

test('error registry: statuses of the codes the seed calls produce', () => {
  assert.equal(COS_ERRORS.NoSuchUpload.status, 404);
  assert.equal(COS_ERRORS.AppendPositionErr.status, 409);
  assert.equal(COS_ERRORS.ObjectNotAppendable.status, 409);
  assert.equal(COS_ERRORS.MissingContentLength.status, 411);
  assert.equal(COS_ERRORS.PreconditionFailed.status, 412);
  assert.equal(COS_ERRORS.InvalidRange.status, 416);
  assert.equal(COS_ERRORS.EntityTooSmall.status, 400);
  assert.equal(COS_ERRORS.SignatureDoesNotMatch.status, 403);
  assert.equal(statusOfCosError('NoSuchKey'), 404);
  assert.equal(statusOfCosError('SomethingElse'), 500);
  for (const [code, spec] of Object.entries(COS_ERRORS)) {
    assert.ok(spec.message.length > 0, code);
    assert.ok(spec.status >= 400 && spec.status < 600, code);
  }
});

test('bucket names', () => {
  assert.deepEqual(splitBucketName('examplebucket-1250000000'), {
    name: 'examplebucket',
    appId: '1250000000',
  });
  assert.deepEqual(splitBucketName('my-bucket-2-125'), { name: 'my-bucket-2', appId: '125' });
  assert.equal(checkBucketName('examplebucket-1250000000'), undefined);
  for (const bad of ['examplebucket', 'Example-125', '-a-125', 'a--125x', 'a_b-125', 'a-', '']) {
    assert.equal(checkBucketName(bad)?.code, 'InvalidBucketName', bad);
  }
  assert.equal(checkBucketName(`${'a'.repeat(51)}-125`)?.code, 'BucketNameTooLong');
  assert.equal(checkBucketName(`${'a'.repeat(50)}-125`), undefined);
  // APPID: 1–10 digits, no leading zero.
  assert.equal(checkBucketName(`a-${'1'.repeat(11)}`)?.code, 'InvalidBucketName');
  assert.equal(checkBucketName('a-0125')?.code, 'InvalidBucketName');
  // With a region: the whole host is at most 60 characters (doc 13312's own example is exactly 60).
  assert.equal(checkBucketName('123456789012345678901-1250000000', 'ap-beijing'), undefined);
  assert.equal(checkBucketName('1234567890123456789012-1250000000', 'ap-beijing')?.code, 'BucketNameTooLong');
});

test('object keys', () => {
  assert.equal(checkObjectKey('文件夹/a b+c.txt'), undefined);
  assert.equal(checkObjectKey('dir/'), undefined);
  assert.equal(checkObjectKey('a'.repeat(850)), undefined);
  assert.equal(checkObjectKey('a'.repeat(851))?.code, 'KeyTooLong');
  assert.equal(checkObjectKey('中'.repeat(284))?.code, 'KeyTooLong'); // 852 bytes
  assert.equal(checkObjectKey('')?.code, 'InvalidObjectName');
  assert.equal(checkObjectKey('a\u0000b')?.code, 'InvalidObjectName');
  assert.equal(checkObjectKey('a\u001bb')?.code, 'InvalidObjectName');
  assert.equal(checkObjectKey('a\ud800')?.code, 'InvalidObjectName');
});

test('parameter checks', () => {
  assert.equal(checkTrafficLimit('819200'), undefined);
  assert.equal(checkTrafficLimit(838860800), undefined);
  assert.match(checkTrafficLimit('819199')?.message ?? '', /819200 to 838860800/);
  assert.equal(checkTrafficLimit('1e6')?.code, 'InvalidArgument');
  assert.equal(checkPartNumber(1), undefined);
  assert.equal(checkPartNumber('10000'), undefined);
  for (const bad of ['0', '10001', 'abc', '-1', '1.5', ''])
    assert.equal(checkPartNumber(bad)?.code, 'InvalidArgument');
  assert.equal(checkPageSize('max-keys', '0', 0, 1000), undefined);
  assert.equal(checkPageSize('max-keys', '1001', 0, 1000)?.code, 'InvalidArgument');
});

test('percent-encoding', () => {
  assert.equal(encodeRfc3986("a b+c/!'()*~"), 'a%20b%2Bc%2F%21%27%28%29%2A~');
  assert.equal(encodeKeyPath('文件夹/a b+c.txt'), '%E6%96%87%E4%BB%B6%E5%A4%B9/a%20b%2Bc.txt');
  assert.equal(encodeKeyPath('a/./b/../c'), 'a/.%2Fb/..%2Fc');
  assert.equal(encodeListingValue('腾讯云/a b'), '%E8%85%BE%E8%AE%AF%E4%BA%91/a%20b');
  assert.equal(decodeListingValue('%E8%85%BE/a%20b+c'), '腾/a b+c');
  assert.equal(decodeListingValue('100%'), '100%');
  assert.deepEqual(parseQuery('uploads&prefix=a+b%20c&max-keys=10&x='), [
    ['uploads', ''],
    ['prefix', 'a+b c'],
    ['max-keys', '10'],
    ['x', ''],
  ]);
  assert.equal(parseQuery('a=%E0%A4%A'), undefined);
});

test('header table serves both directions', () => {
  assert.equal(headerForParam('ACL'), 'x-cos-acl');
  assert.equal(headerForParam('TrafficLimit'), 'x-cos-traffic-limit');
  assert.equal(headerForParam('CopySourceIfMatch'), 'x-cos-copy-source-If-Match');
  assert.equal(paramForHeader('CONTENT-TYPE'), 'ContentType');
  assert.equal(paramForHeader('x-cos-grant-full-control'), 'GrantFullControl');
  assert.deepEqual(
    paramsToHeaders({
      ContentType: 'text/plain',
      StorageClass: 'STANDARD_IA',
      TrafficLimit: 819200,
      Metadata: { 'x-cos-meta-Key1': 'v1' },
      Unknown: 'ignored',
      ACL: undefined,
    }),
    {
      'Content-Type': 'text/plain',
      'x-cos-storage-class': 'STANDARD_IA',
      'x-cos-traffic-limit': '819200',
      'x-cos-meta-key1': 'v1',
    },
  );
  assert.equal(userMetadataBytes({ 'x-cos-meta-ab': 'xyz', 'content-type': 'a' }), 5);
});
