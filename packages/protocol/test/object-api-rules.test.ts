/**
 * The non-XML rules of the object APIs (issue #11): tag rules and the `x-cos-tagging` header,
 * `x-cos-grant-*` values and account IDs, canned ACL grants, `x-cos-copy-source`, `x-cos-restore`,
 * and the additions to the error, header and limit tables.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALL_USERS_GROUP_URI,
  ANYONE_ID,
  accountGrantee,
  COS_ERRORS,
  type CosTag,
  cannedAclGrants,
  canonicalAccountId,
  checkTag,
  checkTagSet,
  forbidsOverwrite,
  formatCopySource,
  formatGrantHeader,
  formatRestoreHeader,
  formatTaggingHeader,
  grantsPublicRead,
  headerForParam,
  isColdStorageClass,
  LIMITS,
  paramsToHeaders,
  parseCopySource,
  parseGrantHeader,
  parseRestoreHeader,
  parseTaggingHeader,
} from '../src/index.js';

describe('tags', () => {
  test('documented characters and lengths are accepted, case and unicode letters kept', () => {
    for (const tag of [
      { Key: 'group', Value: 'IT' },
      { Key: 'Group', Value: 'it' },
      { Key: '部门', Value: '研发 中心' },
      { Key: 'a+b-c=d.e_f:g/h@i', Value: '0123456789' },
      { Key: 'é'.normalize('NFD'), Value: 'x' },
      { Key: 'k'.repeat(LIMITS.maxTagKeyLength), Value: 'v'.repeat(LIMITS.maxTagValueLength) },
      { Key: 'ключ', Value: 'значение' },
    ]) {
      assert.equal(checkTag(tag), undefined, JSON.stringify(tag));
    }
  });

  test('lengths count characters, not bytes or UTF-16 units', () => {
    assert.equal(checkTag({ Key: '键'.repeat(127), Value: 'v' }), undefined);
    assert.match(
      checkTag({ Key: '键'.repeat(128), Value: 'v' })!.message,
      /128 characters; a tag key has 1 to 127/,
    );
    assert.match(checkTag({ Key: 'k', Value: 'v'.repeat(256) })!.message, /value of 256 characters/);
  });

  test('empty, badly-charactered and duplicate tags are InvalidTag', () => {
    const bad: [CosTag, RegExp][] = [
      [{ Key: '', Value: 'v' }, /0 characters/],
      [{ Key: 'k', Value: '' }, /value of 0 characters/],
      [{ Key: 'a#b', Value: 'v' }, /may contain only/],
      [{ Key: 'k', Value: 'a,b' }, /may contain only/],
      [{ Key: 'k', Value: 'tab\there' }, /may contain only/],
      [{ Key: '😀', Value: 'v' }, /may contain only/],
    ];
    for (const [tag, message] of bad) {
      const problem = checkTag(tag);
      assert.equal(problem?.code, 'InvalidTag', JSON.stringify(tag));
      assert.match(problem!.message, message);
    }
    assert.match(
      checkTagSet([
        { Key: 'k', Value: '1' },
        { Key: 'k', Value: '2' },
      ])!.message,
      /given twice/,
    );
    const ten = Array.from({ length: 10 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    assert.equal(checkTagSet(ten), undefined);
    assert.equal(checkTagSet([]), undefined);
    assert.match(
      checkTagSet([...ten, { Key: 'k10', Value: 'v' }])!.message,
      /11 tags given; an object has at most 10/,
    );
  });

  test('x-cos-tagging: the Python SDK test values, percent-decoding, + kept, problems reported', () => {
    assert.deepEqual(parseTaggingHeader('A=B'), { tags: [{ Key: 'A', Value: 'B' }] });
    assert.deepEqual(parseTaggingHeader('tagKey1=tagValue1&tagKey2=tagValue2'), {
      tags: [
        { Key: 'tagKey1', Value: 'tagValue1' },
        { Key: 'tagKey2', Value: 'tagValue2' },
      ],
    });
    assert.deepEqual(parseTaggingHeader('%E9%83%A8%E9%97%A8=a%20b&c+d=e%2Ff'), {
      tags: [
        { Key: '部门', Value: 'a b' },
        { Key: 'c+d', Value: 'e/f' },
      ],
    });
    assert.deepEqual(parseTaggingHeader(''), { tags: [] });
    for (const value of [
      'k',
      'k=',
      '=v',
      'k=%zz',
      'a=1&a=2',
      'k=v#',
      Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&'),
    ]) {
      const result = parseTaggingHeader(value);
      assert.ok('problem' in result && result.problem.code === 'InvalidTag', value);
    }
  });

  test('formatTaggingHeader round-trips through parseTaggingHeader', () => {
    const tags = [
      { Key: '部门 a', Value: 'x+y=z' },
      { Key: 'k:/@', Value: '1.0_-' },
    ];
    const header = formatTaggingHeader(tags);
    assert.equal(header, '%E9%83%A8%E9%97%A8%20a=x%2By%3Dz&k%3A%2F%40=1.0_-');
    assert.deepEqual(parseTaggingHeader(header), { tags });
  });
});

describe('ACL headers and grants', () => {
  test('account IDs: full, root-only and root/sub forms; anything else is refused', () => {
    assert.equal(canonicalAccountId('100000000001'), 'qcs::cam::uin/100000000001:uin/100000000001');
    assert.equal(
      canonicalAccountId('100000000001/100000000011'),
      'qcs::cam::uin/100000000001:uin/100000000011',
    );
    assert.equal(canonicalAccountId(' qcs::cam::uin/1001:uin/1001 '), 'qcs::cam::uin/1001:uin/1001');
    assert.equal(canonicalAccountId(ANYONE_ID), ANYONE_ID);
    for (const bad of ['', 'alice', 'qcs::cam::uin/1:uin/', '1/2/3', 'uin/1'])
      assert.equal(canonicalAccountId(bad), undefined, bad);
    assert.deepEqual(accountGrantee('qcs::cam::uin/1:uin/2'), {
      Type: 'CanonicalUser',
      ID: 'qcs::cam::uin/1:uin/2',
      DisplayName: '2',
    });
  });

  test('x-cos-grant-*: the values of the official Node SDK tests, de-duplicated, formatted back', () => {
    const parsed = parseGrantHeader(
      'x-cos-grant-read',
      'id="qcs::cam::uin/1001:uin/1001", id="qcs::cam::uin/1002:uin/1002",id="1001",uri="' +
        ALL_USERS_GROUP_URI +
        '"',
    );
    assert.ok('grantees' in parsed);
    assert.deepEqual(
      parsed.grantees.map((g) => (g.Type === 'Group' ? g.URI : g.ID)),
      ['qcs::cam::uin/1001:uin/1001', 'qcs::cam::uin/1002:uin/1002', ALL_USERS_GROUP_URI],
    );
    assert.equal(
      formatGrantHeader(parsed.grantees),
      `id="qcs::cam::uin/1001:uin/1001",id="qcs::cam::uin/1002:uin/1002",uri="${ALL_USERS_GROUP_URI}"`,
    );
    assert.deepEqual(parseGrantHeader('x-cos-grant-read', ''), { grantees: [] });
  });

  test('x-cos-grant-*: malformed items are InvalidArgument naming the header', () => {
    for (const value of [
      '100000000001',
      'id=100000000001',
      'id="alice"',
      'uri="http://example.com/all"',
      'email="a@b"',
    ]) {
      const parsed = parseGrantHeader('x-cos-grant-full-control', value);
      assert.ok('problem' in parsed, value);
      assert.equal(parsed.problem.code, 'InvalidArgument');
      assert.match(parsed.problem.message, /^x-cos-grant-full-control item/);
    }
    const many = Array.from({ length: LIMITS.maxAclGrants + 1 }, (_, i) => `id="${1000 + i}"`).join(',');
    assert.ok('problem' in parseGrantHeader('x-cos-grant-read', many));
  });

  test('canned ACLs: owner FULL_CONTROL always, public-read adds all-users READ', () => {
    const owner = 'qcs::cam::uin/100000000001:uin/100000000001';
    for (const acl of ['private', 'default']) {
      assert.deepEqual(cannedAclGrants(acl, owner), [
        { Grantee: accountGrantee(owner), Permission: 'FULL_CONTROL' },
      ]);
      assert.equal(grantsPublicRead(cannedAclGrants(acl, owner)), false);
    }
    const publicRead = cannedAclGrants('public-read', owner);
    assert.deepEqual(publicRead[1], {
      Grantee: { Type: 'Group', URI: ALL_USERS_GROUP_URI },
      Permission: 'READ',
    });
    assert.equal(grantsPublicRead(publicRead), true);
    assert.equal(
      grantsPublicRead([{ Grantee: accountGrantee(ANYONE_ID), Permission: 'FULL_CONTROL' }]),
      true,
    );
    assert.equal(
      grantsPublicRead([{ Grantee: { Type: 'Group', URI: ALL_USERS_GROUP_URI }, Permission: 'WRITE_ACP' }]),
      false,
    );
  });
});

describe('x-cos-copy-source', () => {
  test('the forms the official SDKs send', () => {
    assert.deepEqual(parseCopySource('examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/1.txt'), {
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      key: '1.txt',
      versionId: undefined,
    });
    assert.deepEqual(
      parseCopySource('test-1253846586.cos.ap-guangzhou.myqcloud.com/test.source?versionId=MTg0NDUx'),
      { bucket: 'test-1253846586', region: 'ap-guangzhou', key: 'test.source', versionId: 'MTg0NDUx' },
    );
    assert.equal(parseCopySource('b-1.cos-internal.ap-beijing.tencentcos.cn/%E6%96%87%20x')?.key, '文 x');
    assert.equal(parseCopySource('https://b-1.cosv6.ap-beijing.myqcloud.com/a/b')?.key, 'a/b');
    assert.equal(parseCopySource('b-1.cos.ap-beijing.myqcloud.com/k?versionId=')?.versionId, undefined);
  });

  test('round trip of formatCopySource for odd keys and versions', () => {
    for (const Key of ['a b+c', '文件夹/x', '%', '?#&', ' lead', 'dir/./x', '😀']) {
      const value = formatCopySource({
        Bucket: 'b-1250000000',
        Region: 'ap-guangzhou',
        Key,
        VersionId: 'v+1/=',
      });
      assert.deepEqual(parseCopySource(value), {
        bucket: 'b-1250000000',
        region: 'ap-guangzhou',
        key: Key,
        versionId: 'v+1/=',
      });
    }
    assert.equal(
      formatCopySource({ Bucket: 'b-1', Region: 'r', Key: '//a b' }),
      'b-1.cos.r.myqcloud.com/a%20b',
    );
  });

  test('anything else is refused', () => {
    for (const bad of [
      '',
      'www.qq.com12345.txt',
      'b-1.cos.ap-beijing.myqcloud.com/',
      'bucket.cos.ap-beijing.myqcloud.com/k',
      'b-1.cos.ap-beijing.example.com/k',
      'b-1.cos.ap-beijing.myqcloud.com/%E6',
      'b-1.cos.ap-beijing.myqcloud.com/k?versionId=%zz',
    ]) {
      assert.equal(parseCopySource(bad), undefined, bad);
    }
  });
});

describe('x-cos-restore and cold classes', () => {
  test('format and parse both states', () => {
    assert.equal(formatRestoreHeader(undefined), 'ongoing-request="true"');
    const expiry = new Date('2012-10-19T00:00:00.000Z');
    assert.equal(
      formatRestoreHeader(expiry),
      'ongoing-request="false", expiry-date="Fri, 19 Oct 2012 00:00:00 GMT"',
    );
    assert.deepEqual(parseRestoreHeader(formatRestoreHeader(undefined)), { ongoing: true });
    assert.deepEqual(parseRestoreHeader(formatRestoreHeader(expiry)), { ongoing: false, expiry });
    assert.equal(parseRestoreHeader('restored'), undefined);
    assert.equal(parseRestoreHeader('ongoing-request="false", expiry-date="not a date"'), undefined);
    assert.equal(isColdStorageClass('ARCHIVE'), true);
    assert.equal(isColdStorageClass('DEEP_ARCHIVE'), true);
    assert.equal(isColdStorageClass('STANDARD_IA'), false);
  });
});

describe('table additions', () => {
  test('error codes of the object APIs with their COS statuses', () => {
    const want = {
      FileAlreadyExists: 409,
      InvalidObjectState: 403,
      InvalidTag: 400,
      NoSuchTagSet: 404,
      RestoreAlreadyInProgress: 409,
      BucketVersionNotOpen: 400,
      BadRequest: 400,
    } as const;
    for (const [code, status] of Object.entries(want)) {
      assert.equal(COS_ERRORS[code as keyof typeof want].status, status, code);
    }
  });

  test('copy, SSE-C-of-source and directive parameters map to their headers', () => {
    assert.equal(headerForParam('MetadataDirective'), 'x-cos-metadata-directive');
    assert.deepEqual(
      paramsToHeaders({
        MetadataDirective: 'Replaced',
        Tagging: 'A=B',
        ForbidOverwrite: 'true',
        CopySourceSSECustomerAlgorithm: 'AES256',
        CopySourceSSECustomerKey: 'a2V5',
        CopySourceSSECustomerKeyMD5: 'bWQ1',
      }),
      {
        'x-cos-metadata-directive': 'Replaced',
        'x-cos-tagging': 'A=B',
        'x-cos-forbid-overwrite': 'true',
        'x-cos-copy-source-server-side-encryption-customer-algorithm': 'AES256',
        'x-cos-copy-source-server-side-encryption-customer-key': 'a2V5',
        'x-cos-copy-source-server-side-encryption-customer-key-MD5': 'bWQ1',
      },
    );
    assert.equal(forbidsOverwrite('true'), true);
    assert.equal(forbidsOverwrite(' TRUE '), true);
    for (const value of [undefined, '', 'false', '1', 'yes'])
      assert.equal(forbidsOverwrite(value), false, String(value));
  });

  test('limits', () => {
    assert.equal(LIMITS.maxDeleteObjects, 1000);
    assert.equal(LIMITS.maxObjectTags, 10);
    assert.equal(LIMITS.maxCopyObjectSize, 5 * 1024 ** 3);
    assert.ok(LIMITS.maxDeleteXmlBytes >= 1000 * (850 * 6 + 64));
  });
});
