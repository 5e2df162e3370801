/**
 * The XML codecs of the object APIs around upload (issue #11): PUT Object - Copy, Delete Multiple
 * Objects, object ACL, object tagging, bucket versioning, ListVersionsResult and restore. Exact
 * bytes of what we build, round trips (with odd and unicode keys, with and without
 * `encoding-type=url`), the samples of the COS docs and of the official SDKs' own tests, the
 * bodies the official SDKs build, and what the official Node SDK's parser reads from our output.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import {
  type AccessControlPolicy,
  ALL_USERS_GROUP_URI,
  buildAccessControlPolicy,
  buildCopyObjectResult,
  buildDeleteObjects,
  buildDeleteResult,
  buildErrorBody,
  buildListVersionsResult,
  buildRestoreRequest,
  buildTagging,
  buildVersioningConfiguration,
  type CosOwner,
  cannedAclGrants,
  checkAclGrants,
  type DeleteResult,
  grantsPublicRead,
  type ListVersionsResult,
  parseAccessControlPolicy,
  parseCopyObjectResult,
  parseDeleteObjects,
  parseDeleteResult,
  parseListVersionsResult,
  parseRestoreRequest,
  parseTagging,
  parseVersioningConfiguration,
  tryParseErrorBody,
  XmlCodecError,
  XmlUnrepresentableError,
} from '../src/index.js';

const require = createRequire(import.meta.url);
const { XMLParser: SdkXmlParser } = require('cos-fast-xml-parser') as {
  XMLParser: new (options: Record<string, unknown>) => { parse(xml: string): Record<string, unknown> };
};
// The settings of cos-nodejs-sdk-v5 (sdk/util.js).
const sdkParser = new SdkXmlParser({
  ignoreDeclaration: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
});
const sdkParse = (xml: string) => sdkParser.parse(xml);
const sdkUtil = require('cos-nodejs-sdk-v5/sdk/util.js') as { json2xml(json: unknown): string };

/** Keys that break naive encoders, escapers or trimmers (no CR: XML turns a literal CR into LF). */
const ODD_KEYS = [
  'plain.txt',
  'a b+c',
  '文件夹/x',
  '%',
  '%20',
  '?',
  '#',
  `&<>"'`,
  ' a ',
  'tab\tnew\nline',
  '😀/é/~!*()',
  'dir/',
  ']]>',
];

const owner: CosOwner = { ID: 'qcs::cam::uin/100000000001:uin/100000000001', DisplayName: '100000000001' };
const ETAG = '"ee8de918d05640145b18f70f4c3aa602"';
const DECL = "<?xml version='1.0' encoding='utf-8' ?>";

function throwsCodec(fn: () => unknown, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof XmlCodecError, `expected XmlCodecError, got ${String(error)}`);
    assert.equal(error.cosCode, 'MalformedXML');
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('CopyObjectResult', () => {
  test('exact bytes, optional fields only when set', () => {
    assert.equal(
      buildCopyObjectResult({ ETag: ETAG, LastModified: '2019-12-13T13:35:51.000Z' }),
      `${DECL}<CopyObjectResult><ETag>&quot;ee8de918d05640145b18f70f4c3aa602&quot;</ETag><LastModified>2019-12-13T13:35:51.000Z</LastModified></CopyObjectResult>`,
    );
    assert.equal(
      buildCopyObjectResult({
        ETag: 'abc',
        LastModified: 't',
        CRC64: '16749565679157681890',
        VersionId: 'MTg0NDUx',
      }),
      `${DECL}<CopyObjectResult><ETag>&quot;abc&quot;</ETag><CRC64>16749565679157681890</CRC64><LastModified>t</LastModified><VersionId>MTg0NDUx</VersionId></CopyObjectResult>`,
    );
  });

  test('round trip, and the sample of the Go SDK test (pretty-printed, no declaration)', () => {
    const model = { ETag: ETAG, LastModified: '2019-12-13T13:35:51.000Z', CRC64: '1', VersionId: 'v1' };
    assert.deepEqual(parseCopyObjectResult(buildCopyObjectResult(model)), model);
    const sample = `<CopyObjectResult>
		<ETag>"098f6bcd4621d373cade4e832627b4f6"</ETag>
		<LastModified>2017-12-13T14:53:12</LastModified>
	</CopyObjectResult>`;
    assert.deepEqual(parseCopyObjectResult(sample), {
      ETag: '"098f6bcd4621d373cade4e832627b4f6"',
      LastModified: '2017-12-13T14:53:12',
    });
  });

  test('an error after the copy started is a 200 with <Error>: found by tryParseErrorBody, refused by the result parser', () => {
    const body = buildErrorBody({
      Code: 'InternalError',
      Message: 'copy failed after it started',
      Resource: 'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/dst',
      RequestId: 'r',
      TraceId: 't',
    });
    assert.equal(tryParseErrorBody(body)?.Code, 'InternalError');
    assert.equal(tryParseErrorBody(buildCopyObjectResult({ ETag: ETAG, LastModified: 't' })), undefined);
    throwsCodec(() => parseCopyObjectResult(body), /expected root <CopyObjectResult>, found <Error>/);
  });

  test('the Node SDK reads ETag from CopyObjectResult', () => {
    const model = { ETag: ETAG, LastModified: 't', CRC64: '42' };
    assert.deepEqual(sdkParse(buildCopyObjectResult(model)), { CopyObjectResult: model });
  });
});

describe('Delete Multiple Objects', () => {
  test('request: exact bytes in doc order (Quiet first, VersionId only when given)', () => {
    assert.equal(
      buildDeleteObjects({ Quiet: true, Object: [{ Key: 'a&b' }, { Key: 'c', VersionId: 'v1' }] }),
      '<Delete><Quiet>true</Quiet><Object><Key>a&amp;b</Key></Object><Object><Key>c</Key><VersionId>v1</VersionId></Object></Delete>',
    );
  });

  test('request round trip with odd and unicode keys', () => {
    const model = {
      Quiet: false,
      Object: ODD_KEYS.map((Key, i) => (i % 2 ? { Key, VersionId: `v${i}` } : { Key })),
    };
    assert.deepEqual(parseDeleteObjects(buildDeleteObjects(model)), model);
  });

  test('request: what the Node SDK sends (Object before Quiet) and what the Python SDK sends (declaration, "true")', () => {
    const node = sdkUtil.json2xml({
      Delete: { Object: [{ Key: '1.txt' }, { Key: '文件.txt' }], Quiet: false },
    });
    assert.deepEqual(parseDeleteObjects(node), {
      Quiet: false,
      Object: [{ Key: '1.txt' }, { Key: '文件.txt' }],
    });
    const python =
      '<?xml version="1.0" encoding="utf-8"?>\n<Delete><Quiet>true</Quiet><Object><Key>file_name1</Key></Object><Object><Key>file_name2</Key><VersionId>MTg0NDUx</VersionId></Object></Delete>';
    assert.deepEqual(parseDeleteObjects(python), {
      Quiet: true,
      Object: [{ Key: 'file_name1' }, { Key: 'file_name2', VersionId: 'MTg0NDUx' }],
    });
  });

  test('request bounds: 1 to 1000 objects, one Key each, at most one VersionId', () => {
    const keys = (n: number) => `<Delete>${'<Object><Key>k</Key></Object>'.repeat(n)}</Delete>`;
    assert.equal(parseDeleteObjects(keys(1000)).Object.length, 1000);
    throwsCodec(() => parseDeleteObjects(keys(1001)), /1001 objects, more than 1000/);
    throwsCodec(() => parseDeleteObjects('<Delete><Quiet>true</Quiet></Delete>'), /no <Object>/);
    throwsCodec(
      () => parseDeleteObjects('<Delete><Object><VersionId>v</VersionId></Object></Delete>'),
      /exactly one <Key>/,
    );
    throwsCodec(
      () => parseDeleteObjects('<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>'),
      /exactly one <Key>/,
    );
    throwsCodec(
      () =>
        parseDeleteObjects(
          '<Delete><Object><Key>a</Key><VersionId>1</VersionId><VersionId>2</VersionId></Object></Delete>',
        ),
      /2 <VersionId>/,
    );
    throwsCodec(() => parseDeleteObjects('<DeleteResult/>'), /expected root <Delete>/);
    throwsCodec(() => parseDeleteObjects('<Delete><Object><Key>a</Key></Object>'), /not well-formed/);
    // An empty key is the handler's per-key error, not a schema error; the text is kept untrimmed.
    assert.deepEqual(
      parseDeleteObjects('<Delete><Object><Key/></Object><Object><Key> x </Key></Object></Delete>').Object,
      [{ Key: '' }, { Key: ' x ' }],
    );
  });

  const result: DeleteResult = {
    Deleted: [
      { Key: 'sample1.txt' },
      { Key: '文件/😀 x', VersionId: 'MTg0NDUx' },
      { Key: 'marker', DeleteMarker: true, DeleteMarkerVersionId: 'MTg0NDUy' },
    ],
    Error: [
      { Key: 'sample2.txt', Code: 'AccessDenied', Message: 'Access Denied.' },
      {
        Key: `&<>"'`,
        VersionId: 'v9',
        Code: 'NoSuchVersion',
        Message: 'The specified version does not exist.',
      },
    ],
  };

  test('result: exact bytes (Deleted, then Error, optional fields only when set)', () => {
    assert.equal(
      buildDeleteResult({
        Deleted: [{ Key: 'a' }, { Key: 'b', DeleteMarker: true, DeleteMarkerVersionId: 'm1' }],
        Error: [{ Key: 'c', VersionId: 'v', Code: 'AccessDenied', Message: 'Access Denied.' }],
      }),
      `${DECL}<DeleteResult><Deleted><Key>a</Key></Deleted><Deleted><Key>b</Key><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>m1</DeleteMarkerVersionId></Deleted><Error><Key>c</Key><VersionId>v</VersionId><Code>AccessDenied</Code><Message>Access Denied.</Message></Error></DeleteResult>`,
    );
    assert.equal(buildDeleteResult({ Deleted: [], Error: [] }), `${DECL}<DeleteResult/>`);
  });

  test('result round trip, plain and url-encoded; a key XML cannot carry needs url', () => {
    assert.deepEqual(parseDeleteResult(buildDeleteResult(result)), result);
    const control: DeleteResult = {
      Deleted: [{ Key: 'bell\u0007/x y' }, ...result.Deleted],
      Error: result.Error,
    };
    const encoded = buildDeleteResult(control, 'url');
    assert.match(encoded, /<EncodingType>url<\/EncodingType><Deleted><Key>bell%07\/x%20y<\/Key>/);
    assert.deepEqual(parseDeleteResult(encoded), { EncodingType: 'url', ...control });
    assert.throws(() => buildDeleteResult(control), XmlUnrepresentableError);
    assert.deepEqual(parseDeleteResult('<DeleteResult/>'), { Deleted: [], Error: [] });
  });

  test('result: the sample of the Go SDK test (pretty-printed)', () => {
    const sample = `<DeleteResult>
	<Deleted>
		<Key>test1</Key>
	</Deleted>
	<Deleted>
		<Key>test3</Key>
	</Deleted>
	<Error>
		<Key>test2</Key>
		<Code>AccessDenied</Code>
		<Message>Access Denied</Message>
	</Error>
</DeleteResult>`;
    assert.deepEqual(parseDeleteResult(sample), {
      Deleted: [{ Key: 'test1' }, { Key: 'test3' }],
      Error: [{ Key: 'test2', Code: 'AccessDenied', Message: 'Access Denied' }],
    });
  });

  test('result: the Node SDK reads Deleted and Error lists', () => {
    const parsed = sdkParse(buildDeleteResult(result)) as {
      DeleteResult: { Deleted: { Key: string }[]; Error: { Key: string; Code: string }[] };
    };
    assert.deepEqual(
      parsed.DeleteResult.Deleted.map((d) => d.Key),
      result.Deleted.map((d) => d.Key),
    );
    assert.deepEqual(parsed.DeleteResult.Error[1], {
      Key: `&<>"'`,
      VersionId: 'v9',
      Code: 'NoSuchVersion',
      Message: 'The specified version does not exist.',
    });
  });
});

describe('AccessControlPolicy', () => {
  const policy: AccessControlPolicy = {
    Owner: owner,
    AccessControlList: [
      ...cannedAclGrants('public-read', owner.ID),
      {
        Grantee: {
          Type: 'CanonicalUser',
          ID: 'qcs::cam::uin/100000000001:uin/100000000011',
          DisplayName: '100000000011',
        },
        Permission: 'READ_ACP',
      },
    ],
  };

  test('exact bytes: xsi:type on every Grantee, a Group has URI only', () => {
    assert.equal(
      buildAccessControlPolicy({ Owner: owner, AccessControlList: cannedAclGrants('public-read', owner.ID) }),
      `${DECL}<AccessControlPolicy><Owner><ID>qcs::cam::uin/100000000001:uin/100000000001</ID><DisplayName>100000000001</DisplayName></Owner>` +
        '<AccessControlList>' +
        '<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>qcs::cam::uin/100000000001:uin/100000000001</ID><DisplayName>100000000001</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>' +
        '<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://cam.qcloud.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>' +
        '</AccessControlList></AccessControlPolicy>',
    );
  });

  test('round trip', () => {
    assert.deepEqual(parseAccessControlPolicy(buildAccessControlPolicy(policy)), policy);
  });

  test('the COS doc body shape (attributes, pretty-printed) reads with types from the children', () => {
    const doc = `<AccessControlPolicy>
	<Owner>
		<ID>qcs::cam::uin/100000000001:uin/100000000001</ID>
		<DisplayName>qcs::cam::uin/100000000001:uin/100000000001</DisplayName>
	</Owner>
	<AccessControlList>
		<Grant>
			<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">
				<URI>http://cam.qcloud.com/groups/global/AllUsers</URI>
			</Grantee>
			<Permission>READ</Permission>
		</Grant>
		<Grant>
			<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">
				<ID>qcs::cam::uin/100000000001:uin/100000000001</ID>
				<DisplayName>qcs::cam::uin/100000000001:uin/100000000001</DisplayName>
			</Grantee>
			<Permission>FULL_CONTROL</Permission>
		</Grant>
	</AccessControlList>
</AccessControlPolicy>`;
    const parsed = parseAccessControlPolicy(doc);
    assert.deepEqual(parsed.AccessControlList, [
      { Grantee: { Type: 'Group', URI: ALL_USERS_GROUP_URI }, Permission: 'READ' },
      {
        Grantee: { Type: 'CanonicalUser', ID: owner.ID, DisplayName: owner.ID },
        Permission: 'FULL_CONTROL',
      },
    ]);
    assert.equal(grantsPublicRead(parsed.AccessControlList), true);
    assert.equal(checkAclGrants(parsed.AccessControlList), undefined);
  });

  test('what the Node SDK sends (no type, no DisplayName) and what the Python SDK sends (<Type> child)', () => {
    const node = sdkUtil.json2xml({
      AccessControlPolicy: {
        Owner: { ID: 'qcs::cam::uin/10001:uin/10001' },
        AccessControlList: {
          Grant: [{ Grantee: { ID: 'qcs::cam::uin/10002:uin/10002' }, Permission: 'READ' }],
        },
      },
    });
    assert.deepEqual(parseAccessControlPolicy(node), {
      Owner: { ID: 'qcs::cam::uin/10001:uin/10001', DisplayName: '' },
      AccessControlList: [
        {
          Grantee: { Type: 'CanonicalUser', ID: 'qcs::cam::uin/10002:uin/10002', DisplayName: '' },
          Permission: 'READ',
        },
      ],
    });
    const python =
      '<?xml version="1.0" encoding="utf-8"?>\n<AccessControlPolicy><AccessControlList><Grant><Grantee><DisplayName>qcs::cam::uin/100000000002:uin/100000000002</DisplayName><Type>CanonicalUser</Type><ID>qcs::cam::uin/100000000002:uin/100000000002</ID></Grantee><Permission>WRITE</Permission></Grant><Grant><Grantee><Type>Group</Type><URI>http://cam.qcloud.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList><Owner><DisplayName>qcs::cam::uin/100000000001:uin/100000000001</DisplayName><ID>qcs::cam::uin/100000000001:uin/100000000001</ID></Owner></AccessControlPolicy>';
    const parsed = parseAccessControlPolicy(python);
    assert.equal(parsed.Owner.ID, 'qcs::cam::uin/100000000001:uin/100000000001');
    assert.deepEqual(
      parsed.AccessControlList.map((g) => [g.Grantee.Type, g.Permission]),
      [
        ['CanonicalUser', 'WRITE'],
        ['Group', 'READ'],
      ],
    );
  });

  test('incomplete grants are MalformedXML; checkAclGrants refuses unknown permissions and grantees', () => {
    throwsCodec(
      () =>
        parseAccessControlPolicy(
          '<AccessControlPolicy><AccessControlList><Grant><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>',
        ),
      /no <Grantee>/,
    );
    throwsCodec(
      () =>
        parseAccessControlPolicy(
          '<AccessControlPolicy><AccessControlList><Grant><Grantee><ID>x</ID></Grantee></Grant></AccessControlList></AccessControlPolicy>',
        ),
      /no <Permission>/,
    );
    throwsCodec(
      () =>
        parseAccessControlPolicy(
          '<AccessControlPolicy><AccessControlList><Grant><Grantee><Type>AmazonCustomerByEmail</Type></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>',
        ),
      /CanonicalUser or Group/,
    );
    const user = (ID: string, Permission: string) => ({
      Grantee: { Type: 'CanonicalUser' as const, ID, DisplayName: '' },
      Permission,
    });
    assert.match(checkAclGrants([user(owner.ID, 'READ_WRITE')])!.message, /Permission must be one of/);
    assert.match(checkAclGrants([user('alice', 'READ')])!.message, /Grantee.ID must be/);
    assert.match(
      checkAclGrants([
        {
          Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
          Permission: 'READ',
        },
      ])!.message,
      /URI must be/,
    );
    assert.equal(
      checkAclGrants(Array.from({ length: 101 }, () => user(owner.ID, 'READ')))?.code,
      'MalformedXML',
    );
    assert.equal(checkAclGrants(Array.from({ length: 100 }, () => user(owner.ID, 'READ'))), undefined);
  });

  test("the Node SDK's parser sees Grantee.ID / Grantee.URI (what its decodeAcl reads)", () => {
    const parsed = sdkParse(buildAccessControlPolicy(policy)) as {
      AccessControlPolicy: {
        Owner: CosOwner;
        AccessControlList: { Grant: { Grantee: Record<string, string>; Permission: string }[] };
      };
    };
    const grants = parsed.AccessControlPolicy.AccessControlList.Grant;
    assert.deepEqual(parsed.AccessControlPolicy.Owner, owner);
    assert.deepEqual(grants[1], { Grantee: { URI: ALL_USERS_GROUP_URI }, Permission: 'READ' });
    assert.equal(grants[2]!.Grantee['ID'], 'qcs::cam::uin/100000000001:uin/100000000011');
  });
});

describe('Tagging', () => {
  test('exact bytes; an empty set is <TagSet/>', () => {
    assert.equal(
      buildTagging({
        TagSet: [
          { Key: 'age', Value: '18' },
          { Key: 'name', Value: 'xiaoming' },
        ],
      }),
      `${DECL}<Tagging><TagSet><Tag><Key>age</Key><Value>18</Value></Tag><Tag><Key>name</Key><Value>xiaoming</Value></Tag></TagSet></Tagging>`,
    );
    assert.equal(buildTagging({ TagSet: [] }), `${DECL}<Tagging><TagSet/></Tagging>`);
  });

  test('round trip; the doc sample and the Node SDK body; a missing TagSet is no tags', () => {
    const model = {
      TagSet: [
        { Key: '部门', Value: 'a b:c/d@e' },
        { Key: 'k+=._-', Value: 'v' },
      ],
    };
    assert.deepEqual(parseTagging(buildTagging(model)), model);
    const doc =
      '<?xml version="1.0" encoding="UTF-8" ?><Tagging><TagSet><Tag><Key>age</Key><Value>18</Value></Tag><Tag><Key>name</Key><Value>xiaoming</Value></Tag></TagSet></Tagging>';
    assert.deepEqual(parseTagging(doc).TagSet, [
      { Key: 'age', Value: '18' },
      { Key: 'name', Value: 'xiaoming' },
    ]);
    const node = sdkUtil.json2xml({ Tagging: { TagSet: { Tag: [{ Key: 'key0', Value: 'value0' }] } } });
    assert.deepEqual(parseTagging(node), { TagSet: [{ Key: 'key0', Value: 'value0' }] });
    assert.deepEqual(parseTagging('<Tagging/>'), { TagSet: [] });
  });

  test('a tag without exactly one Key and Value is MalformedXML', () => {
    throwsCodec(
      () => parseTagging('<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>'),
      /exactly one <Key> and one <Value>/,
    );
    throwsCodec(
      () =>
        parseTagging(
          '<Tagging><TagSet><Tag><Key>k</Key><Key>j</Key><Value>v</Value></Tag></TagSet></Tagging>',
        ),
      /exactly one/,
    );
  });

  test('the Node SDK reads TagSet.Tag (single and repeated)', () => {
    assert.deepEqual(sdkParse(buildTagging({ TagSet: [{ Key: 'A', Value: 'B' }] })), {
      Tagging: { TagSet: { Tag: { Key: 'A', Value: 'B' } } },
    });
  });
});

describe('VersioningConfiguration', () => {
  test('exact bytes; a never-versioned bucket answers the empty element', () => {
    assert.equal(
      buildVersioningConfiguration({ Status: 'Enabled' }),
      `${DECL}<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`,
    );
    assert.equal(buildVersioningConfiguration({}), `${DECL}<VersioningConfiguration/>`);
  });

  test('strict (server) reading takes exactly Enabled or Suspended; lenient (client) leaves others out', () => {
    const node = sdkUtil.json2xml({ VersioningConfiguration: { Status: 'Suspended' } });
    assert.deepEqual(parseVersioningConfiguration(node, { strict: true }), { Status: 'Suspended' });
    const python =
      '<?xml version="1.0" encoding="utf-8"?>\n<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>';
    assert.deepEqual(parseVersioningConfiguration(python, { strict: true }), { Status: 'Enabled' });
    for (const body of [
      '<VersioningConfiguration><Status>enabled</Status></VersioningConfiguration>',
      '<VersioningConfiguration><Status>Disabled</Status></VersioningConfiguration>',
      '<VersioningConfiguration/>',
    ]) {
      throwsCodec(() => parseVersioningConfiguration(body, { strict: true }), /must be Enabled or Suspended/);
      assert.deepEqual(parseVersioningConfiguration(body), {});
    }
    throwsCodec(() => parseVersioningConfiguration('<Versioning/>'), /expected root/);
  });
});

describe('ListVersionsResult', () => {
  const page = (keys: readonly string[], truncated: boolean): ListVersionsResult => ({
    Name: 'examplebucket-1250000000',
    Prefix: keys[0] ?? '',
    KeyMarker: keys[0] ?? '',
    VersionIdMarker: 'MTg0NDUxNzgxMjEzNTU3NTk1Mjg',
    MaxKeys: 2,
    IsTruncated: truncated,
    ...(truncated ? { NextKeyMarker: keys.at(-1)!, NextVersionIdMarker: 'null' } : {}),
    Delimiter: '/',
    CommonPrefixes: [{ Prefix: 'example-folder-1/' }, { Prefix: '文件夹 /' }],
    Entries: keys.flatMap((Key, i) => [
      {
        Type: 'Version' as const,
        Key,
        VersionId: `MTg0NDUxNzgxMjEzNTU3NTk1M${i}`,
        IsLatest: i % 2 === 0,
        LastModified: '2019-08-16T10:45:53.000Z',
        ETag: ETAG,
        Size: 30 + i,
        StorageClass: 'STANDARD',
        Owner: owner,
      },
      {
        Type: 'DeleteMarker' as const,
        Key,
        VersionId: 'null',
        IsLatest: i % 2 === 1,
        LastModified: '2019-08-16T10:45:47.000Z',
        Owner: owner,
      },
    ]),
  });

  test('exact bytes of a small page, in the order of the doc sample', () => {
    const model: ListVersionsResult = {
      ...page(['a'], true),
      CommonPrefixes: [],
      Entries: page(['a'], false).Entries.slice(1),
    };
    assert.equal(
      buildListVersionsResult(model),
      `${DECL}<ListVersionsResult><Name>examplebucket-1250000000</Name><Prefix>a</Prefix><KeyMarker>a</KeyMarker>` +
        '<VersionIdMarker>MTg0NDUxNzgxMjEzNTU3NTk1Mjg</VersionIdMarker><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>' +
        '<NextKeyMarker>a</NextKeyMarker><NextVersionIdMarker>null</NextVersionIdMarker><Delimiter>/</Delimiter>' +
        '<DeleteMarker><Key>a</Key><VersionId>null</VersionId><IsLatest>false</IsLatest><LastModified>2019-08-16T10:45:47.000Z</LastModified>' +
        `<Owner><ID>${owner.ID}</ID><DisplayName>${owner.DisplayName}</DisplayName></Owner></DeleteMarker></ListVersionsResult>`,
    );
  });

  test('round trip with odd keys, plain and url-encoded; Next markers only when truncated', () => {
    for (const truncated of [false, true]) {
      const model = page(ODD_KEYS, truncated);
      assert.deepEqual(parseListVersionsResult(buildListVersionsResult(model)), model);
      assert.deepEqual(parseListVersionsResult(buildListVersionsResult(model, 'url')), {
        ...model,
        EncodingType: 'url',
      });
    }
    const stray = { ...page(['a'], false), NextKeyMarker: 'a', NextVersionIdMarker: 'v' };
    assert.doesNotMatch(buildListVersionsResult(stray), /Next/);
    const control = page(['bell\u0007'], false);
    assert.throws(() => buildListVersionsResult(control), XmlUnrepresentableError);
    assert.match(buildListVersionsResult(control, 'url'), /<Key>bell%07<\/Key>/);
  });

  test('the COS doc sample (from the Go SDK test) keeps Version and DeleteMarker in document order', () => {
    const sample = `<?xml version='1.0' encoding='utf-8' ?>
<ListVersionsResult>
    <Name>examplebucket-1250000000</Name>
    <Prefix/>
    <KeyMarker/>
    <VersionIdMarker/>
    <MaxKeys>1000</MaxKeys>
    <IsTruncated>false</IsTruncated>
    <Delimiter>/</Delimiter>
    <CommonPrefixes>
        <Prefix>example-folder-1/</Prefix>
    </CommonPrefixes>
    <CommonPrefixes>
        <Prefix>example-folder-2/</Prefix>
    </CommonPrefixes>
    <Version>
        <Key>example-object-1.jpg</Key>
        <VersionId>MTg0NDUxNzgxMjEzNTU3NTk1Mjg</VersionId>
        <IsLatest>true</IsLatest>
        <LastModified>2019-08-16T10:45:53.000Z</LastModified>
        <ETag>&quot;5d1143df07a17b23320d0da161e2819e&quot;</ETag>
        <Size>30</Size>
        <StorageClass>STANDARD</StorageClass>
        <Owner>
            <ID>1250000000</ID>
            <DisplayName>1250000000</DisplayName>
        </Owner>
    </Version>
    <DeleteMarker>
        <Key>example-object-1.jpg</Key>
        <VersionId>MTg0NDUxNzgxMjEzNjE1OTcxMzM</VersionId>
        <IsLatest>false</IsLatest>
        <LastModified>2019-08-16T10:45:47.000Z</LastModified>
        <Owner>
        <ID>1250000000</ID>
        <DisplayName>1250000000</DisplayName>
        </Owner>
    </DeleteMarker>
</ListVersionsResult>`;
    const parsed = parseListVersionsResult(sample);
    assert.equal(parsed.MaxKeys, 1000);
    assert.equal(parsed.IsTruncated, false);
    assert.equal(parsed.NextKeyMarker, undefined);
    assert.deepEqual(parsed.CommonPrefixes, [
      { Prefix: 'example-folder-1/' },
      { Prefix: 'example-folder-2/' },
    ]);
    assert.deepEqual(
      parsed.Entries.map((e) => [e.Type, e.VersionId, e.IsLatest]),
      [
        ['Version', 'MTg0NDUxNzgxMjEzNTU3NTk1Mjg', true],
        ['DeleteMarker', 'MTg0NDUxNzgxMjEzNjE1OTcxMzM', false],
      ],
    );
    assert.deepEqual(parsed.Entries[0], {
      Type: 'Version',
      Key: 'example-object-1.jpg',
      VersionId: 'MTg0NDUxNzgxMjEzNTU3NTk1Mjg',
      IsLatest: true,
      LastModified: '2019-08-16T10:45:53.000Z',
      ETag: '"5d1143df07a17b23320d0da161e2819e"',
      Size: 30,
      StorageClass: 'STANDARD',
      Owner: { ID: '1250000000', DisplayName: '1250000000' },
    });
  });

  test('the Node SDK reads Version and DeleteMarker (what listObjectVersions splits into Versions/DeleteMarkers)', () => {
    const parsed = sdkParse(buildListVersionsResult(page(['x', 'y'], true))) as {
      ListVersionsResult: {
        Version: { Key: string }[];
        DeleteMarker: { Key: string }[];
        NextKeyMarker: string;
      };
    };
    assert.deepEqual(
      parsed.ListVersionsResult.Version.map((v) => v.Key),
      ['x', 'y'],
    );
    assert.equal(parsed.ListVersionsResult.DeleteMarker.length, 2);
    assert.equal(parsed.ListVersionsResult.NextKeyMarker, 'y');
  });
});

describe('RestoreRequest', () => {
  test('exact bytes: what the Go SDK test expects and the Node SDK sends', () => {
    const want =
      '<RestoreRequest><Days>3</Days><CASJobParameters><Tier>Expedited</Tier></CASJobParameters></RestoreRequest>';
    assert.equal(buildRestoreRequest({ Days: 3, CASJobParameters: { Tier: 'Expedited' } }), want);
    assert.equal(
      sdkUtil.json2xml({ RestoreRequest: { Days: 3, CASJobParameters: { Tier: 'Expedited' } } }),
      want,
    );
    assert.equal(buildRestoreRequest({ Days: 1 }), '<RestoreRequest><Days>1</Days></RestoreRequest>');
  });

  test('round trip, the Python SDK body, and the bounds', () => {
    for (const Tier of ['Expedited', 'Standard', 'Bulk'] as const) {
      const model = { Days: 7, CASJobParameters: { Tier } };
      assert.deepEqual(parseRestoreRequest(buildRestoreRequest(model)), model);
    }
    const python =
      '<?xml version="1.0" encoding="utf-8"?>\n<RestoreRequest><Days>1</Days><CASJobParameters><Tier>Expedited</Tier></CASJobParameters></RestoreRequest>';
    assert.deepEqual(parseRestoreRequest(python), { Days: 1, CASJobParameters: { Tier: 'Expedited' } });
    assert.deepEqual(parseRestoreRequest('<RestoreRequest><Days> 365 </Days></RestoreRequest>'), {
      Days: 365,
    });
    for (const days of ['0', '366', 'a', '', '-1', '1.5']) {
      throwsCodec(
        () => parseRestoreRequest(`<RestoreRequest><Days>${days}</Days></RestoreRequest>`),
        /Days must be an integer/,
      );
    }
    throwsCodec(
      () =>
        parseRestoreRequest(
          '<RestoreRequest><Days>1</Days><CASJobParameters><Tier>Fast</Tier></CASJobParameters></RestoreRequest>',
        ),
      /Tier must be one of Expedited, Standard, Bulk/,
    );
  });
});
