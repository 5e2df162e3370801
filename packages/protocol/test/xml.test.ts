/**
 * The XML codecs: round trips of every body (with and without `encoding-type=url`), exact bytes,
 * the documentation samples, the Complete request's bounds, and what the official Node SDK's parser
 * reads out of our output.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import {
  buildCompleteMultipartUpload,
  buildCompleteMultipartUploadResult,
  buildCopyPartResult,
  buildErrorBody,
  buildInitiateMultipartUploadResult,
  buildListBucketResult,
  buildListMultipartUploadsResult,
  buildListPartsResult,
  type CompleteMultipartUpload,
  type CosErrorBody,
  type CosOwner,
  type ListBucketResult,
  type ListMultipartUploadsResult,
  type ListPartsResult,
  parseCompleteMultipartUpload,
  parseCompleteMultipartUploadResult,
  parseCopyPartResult,
  parseErrorBody,
  parseInitiateMultipartUploadResult,
  parseListBucketResult,
  parseListMultipartUploadsResult,
  parseListPartsResult,
  parseXmlDocument,
  quoteETag,
  tryParseErrorBody,
  unquoteETag,
  XmlCodecError,
  XmlUnrepresentableError,
} from '../src/xml/index.js';

const require = createRequire(import.meta.url);
const { XMLParser: SdkXmlParser } = require('cos-fast-xml-parser') as {
  XMLParser: new (options: Record<string, unknown>) => { parse(xml: string): Record<string, unknown> };
};
// The settings of cos-nodejs-sdk-v5 3.0.0 (sdk/util.js).
const sdkParser = new SdkXmlParser({
  ignoreDeclaration: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
});
const sdkUtil = require('cos-nodejs-sdk-v5/sdk/util.js') as { json2xml(json: unknown): string };

/** Keys that break naive encoders, escapers or trimmers. */
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
  '  leading',
  'trailing  ',
  'tab\tnew\nline\r\ncr',
  '😀/é/~!*()',
  'dir/',
  ']]>',
];

const alice: CosOwner = { ID: 'qcs::cam::uin/100000000001:uin/100000000001', DisplayName: '100000000001' };
const bob: CosOwner = { ID: '1250000000', DisplayName: '1250000000' };
const ETAG = '"39270a968a357d24207e9911162507eb"';

function throwsCodec(fn: () => unknown, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof XmlCodecError, `expected XmlCodecError, got ${String(error)}`);
    assert.equal(error.cosCode, 'MalformedXML');
    if (message) assert.match(error.message, message);
    return true;
  });
}

function listParts(key: string, parts: number): ListPartsResult {
  return {
    Bucket: 'examplebucket-1250000000',
    Key: key,
    UploadId: '1585130821cbb7df1d11846c073ad648e8f33b087cec2381df437acdc833cf654b9ecc6361',
    Initiator: bob,
    Owner: alice,
    PartNumberMarker: 0,
    Part: Array.from({ length: parts }, (_, i) => ({
      PartNumber: i + 1,
      LastModified: '2020-03-25T10:07:01.000Z',
      ETag: ETAG,
      Size: 1048576 + i,
    })),
    NextPartNumberMarker: parts,
    StorageClass: 'STANDARD',
    MaxParts: 1000,
    IsTruncated: false,
  };
}

function listUploads(keys: readonly string[], prefixes: readonly string[]): ListMultipartUploadsResult {
  return {
    Bucket: 'examplebucket-1250000000',
    KeyMarker: keys[0] ?? '',
    UploadIdMarker: '',
    NextKeyMarker: keys.at(-1) ?? '',
    NextUploadIdMarker: keys.length > 0 ? '1585130821abc' : '',
    MaxUploads: 1000,
    IsTruncated: keys.length > 1,
    Prefix: keys[0] ?? '',
    Delimiter: '/',
    Upload: keys.map((Key, i) => ({
      Key,
      UploadId: `158513082${i}abc`,
      StorageClass: 'STANDARD',
      Initiator: bob,
      Owner: alice,
      Initiated: '2020-03-25T10:07:01.000Z',
    })),
    CommonPrefixes: prefixes.map((Prefix) => ({ Prefix })),
  };
}

function listBucket(
  keys: readonly string[],
  prefixes: readonly string[],
  truncated: boolean,
): ListBucketResult {
  return {
    Name: 'examplebucket-1250000000',
    Prefix: keys[0] ?? '',
    Marker: keys[0] ?? '',
    MaxKeys: 1000,
    Delimiter: '|',
    IsTruncated: truncated,
    ...(truncated ? { NextMarker: keys.at(-1) ?? 'next' } : {}),
    CommonPrefixes: prefixes.map((Prefix) => ({ Prefix })),
    Contents: keys.map((Key, i) => ({
      Key,
      LastModified: '2019-08-26T02:47:09.000Z',
      ETag: ETAG,
      Size: i * 1000,
      Owner: alice,
      StorageClass: 'STANDARD',
    })),
  };
}

/** The text of every `<name>` element in a document, raw (still escaped). */
function rawElements(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!);
}

describe('round trips (build → parse → deep-equal)', () => {
  test('InitiateMultipartUploadResult', () => {
    for (const Key of [...ODD_KEYS, '']) {
      const model = { Bucket: 'examplebucket-1250000000', Key, UploadId: '1585130821cbb7df1d' };
      assert.deepEqual(parseInitiateMultipartUploadResult(buildInitiateMultipartUploadResult(model)), model);
    }
  });

  test('CompleteMultipartUpload request: one part, many parts, quotes added on build', () => {
    for (const count of [1, 2, 10000]) {
      const model: CompleteMultipartUpload = {
        Part: Array.from({ length: count }, (_, i) => ({ PartNumber: i + 1, ETag: ETAG })),
      };
      assert.deepEqual(parseCompleteMultipartUpload(buildCompleteMultipartUpload(model)), model);
    }
    const unquoted = buildCompleteMultipartUpload({ Part: [{ PartNumber: 3, ETag: 'abc' }] });
    assert.deepEqual(parseCompleteMultipartUpload(unquoted), { Part: [{ PartNumber: 3, ETag: '"abc"' }] });
  });

  test('CompleteMultipartUploadResult', () => {
    for (const Key of ODD_KEYS) {
      const model = {
        Location: `examplebucket-1250000000.cos.ap-beijing.myqcloud.com/${encodeURI(Key)}`,
        Bucket: 'examplebucket-1250000000',
        Key,
        ETag: '"aa259a62513358f69e98e72e59856d88-3"',
      };
      assert.deepEqual(parseCompleteMultipartUploadResult(buildCompleteMultipartUploadResult(model)), model);
    }
  });

  test('CopyPartResult', () => {
    const model = { ETag: '"ba82b57cfdfda8bd17ad4e5879ebb4fe"', LastModified: '2017-09-04T04:45:45' };
    assert.deepEqual(parseCopyPartResult(buildCopyPartResult(model)), model);
  });

  test('ListPartsResult: empty, one and many parts; odd keys with and without url', () => {
    for (const count of [0, 1, 3]) {
      const model = listParts('exampleobject', count);
      assert.deepEqual(parseListPartsResult(buildListPartsResult(model)), model);
    }
    for (const Key of ODD_KEYS) {
      const model = listParts(Key, 1);
      assert.deepEqual(parseListPartsResult(buildListPartsResult(model)), model);
      const encoded = buildListPartsResult(model, 'url');
      assert.deepEqual(parseListPartsResult(encoded), { ...model, EncodingType: 'url' });
      assert.match(encoded, /<Encoding-type>url<\/Encoding-type>/);
      for (const raw of rawElements(encoded, 'Key')) assert.match(raw, /^[A-Za-z0-9\-_.~%/]*$/);
    }
  });

  test('ListMultipartUploadsResult: empty, one and many; odd keys with and without url', () => {
    const cases: [string[], string[]][] = [
      [[], []],
      [['one'], ['p/']],
      [ODD_KEYS, ODD_KEYS.map((k) => `${k}/`)],
    ];
    for (const [keys, prefixes] of cases) {
      const model = listUploads(keys, prefixes);
      assert.deepEqual(parseListMultipartUploadsResult(buildListMultipartUploadsResult(model)), model);
      assert.deepEqual(parseListMultipartUploadsResult(buildListMultipartUploadsResult(model, 'url')), {
        ...model,
        EncodingType: 'url',
      });
    }
  });

  test('ListBucketResult: empty, one and many; truncated or not; odd keys with and without url', () => {
    const cases: [string[], string[], boolean][] = [
      [[], [], false],
      [['one'], ['p/'], false],
      [['one'], [], true],
      [ODD_KEYS, ODD_KEYS.map((k) => `${k}|`), true],
    ];
    for (const [keys, prefixes, truncated] of cases) {
      const model = listBucket(keys, prefixes, truncated);
      assert.deepEqual(parseListBucketResult(buildListBucketResult(model)), model);
      const encoded = buildListBucketResult(model, 'url');
      assert.deepEqual(parseListBucketResult(encoded), { ...model, EncodingType: 'url' });
      assert.equal(encoded.includes('<Delimiter>%7C</Delimiter>'), true);
    }
  });

  test('Error body with extra fields', () => {
    const model: CosErrorBody = {
      Code: 'SignatureDoesNotMatch',
      Message: 'The Signature you specified is invalid.',
      Resource: 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com/a b',
      RequestId: 'NjE2ZTg1ZjBfYzYzYjI2MDlfMmY0N18xMjM0',
      TraceId: 'OGVmYzZiMmQzYjA2OWNhODk0NTRkMTBiOWVmMDAxODc0OWRkZjk0ZDM1NmI1M2E2MTRlY2MzZDhmNmI5MWI1OTBjYzE4',
      StringToSign: 'sha1\n1480932292;1481012292\n8a0f…\n',
      FormatString: `put\n/${`&<>"'`}\n\nhost=x\n`,
    };
    assert.deepEqual(parseErrorBody(buildErrorBody(model)), model);
  });
});

describe('exact bytes (element order and escaping)', () => {
  test('InitiateMultipartUploadResult', () => {
    assert.equal(
      buildInitiateMultipartUploadResult({ Bucket: 'b-1250000000', Key: `a&<>"'`, UploadId: 'u1' }),
      "<?xml version='1.0' encoding='utf-8' ?><InitiateMultipartUploadResult><Bucket>b-1250000000</Bucket>" +
        '<Key>a&amp;&lt;&gt;&quot;&apos;</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>',
    );
  });

  test('CompleteMultipartUpload request equals the official Node SDK body', () => {
    const parts = [
      { PartNumber: 1, ETag: ETAG },
      { PartNumber: 2, ETag: '"d&e\'"' },
    ];
    const ours = buildCompleteMultipartUpload({ Part: parts });
    assert.equal(
      ours,
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;39270a968a357d24207e9911162507eb&quot;</ETag></Part>' +
        '<Part><PartNumber>2</PartNumber><ETag>&quot;d&amp;e&apos;&quot;</ETag></Part></CompleteMultipartUpload>',
    );
    const sdk = sdkUtil.json2xml({ CompleteMultipartUpload: { Part: parts } }).replace(/\n\s*/g, '');
    assert.equal(ours, sdk);
  });

  test('CompleteMultipartUploadResult (no namespace)', () => {
    assert.equal(
      buildCompleteMultipartUploadResult({ Location: 'l', Bucket: 'b', Key: 'k', ETag: 'e-3' }),
      "<?xml version='1.0' encoding='utf-8' ?><CompleteMultipartUploadResult><Location>l</Location>" +
        '<Bucket>b</Bucket><Key>k</Key><ETag>&quot;e-3&quot;</ETag></CompleteMultipartUploadResult>',
    );
  });

  test('CopyPartResult', () => {
    assert.equal(
      buildCopyPartResult({ ETag: '"e"', LastModified: '2017-09-04T04:45:45' }),
      "<?xml version='1.0' encoding='utf-8' ?><CopyPartResult><ETag>&quot;e&quot;</ETag>" +
        '<LastModified>2017-09-04T04:45:45</LastModified></CopyPartResult>',
    );
  });

  test('ListPartsResult', () => {
    const model: ListPartsResult = {
      ...listParts('a b', 1),
      UploadId: 'u',
      Initiator: { ID: 'i', DisplayName: 'in' },
      Owner: { ID: 'o', DisplayName: 'on' },
      IsTruncated: true,
    };
    const expected = (encoding: string, key: string) =>
      "<?xml version='1.0' encoding='utf-8' ?><ListPartsResult><Bucket>examplebucket-1250000000</Bucket>" +
      `${encoding}<Key>${key}</Key><UploadId>u</UploadId>` +
      '<Initiator><ID>i</ID><DisplayName>in</DisplayName></Initiator><Owner><ID>o</ID><DisplayName>on</DisplayName></Owner>' +
      '<PartNumberMarker>0</PartNumberMarker><Part><PartNumber>1</PartNumber><LastModified>2020-03-25T10:07:01.000Z</LastModified>' +
      '<ETag>&quot;39270a968a357d24207e9911162507eb&quot;</ETag><Size>1048576</Size></Part>' +
      '<NextPartNumberMarker>1</NextPartNumberMarker><StorageClass>STANDARD</StorageClass><MaxParts>1000</MaxParts>' +
      '<IsTruncated>true</IsTruncated></ListPartsResult>';
    assert.equal(buildListPartsResult(model), expected('<Encoding-type/>', 'a b'));
    assert.equal(buildListPartsResult(model, 'url'), expected('<Encoding-type>url</Encoding-type>', 'a%20b'));
  });

  test('ListMultipartUploadsResult', () => {
    const model: ListMultipartUploadsResult = {
      Bucket: 'b',
      KeyMarker: 'k m',
      UploadIdMarker: 'um',
      NextKeyMarker: 'nk',
      NextUploadIdMarker: 'nu',
      MaxUploads: 2,
      IsTruncated: false,
      Prefix: '文',
      Delimiter: '/',
      Upload: [
        { Key: 'x+y', UploadId: 'u', StorageClass: 'STANDARD', Initiator: bob, Owner: bob, Initiated: 't' },
      ],
      CommonPrefixes: [{ Prefix: 'p/' }, { Prefix: 'q/' }],
    };
    const owner = '<ID>1250000000</ID><DisplayName>1250000000</DisplayName>';
    assert.equal(
      buildListMultipartUploadsResult(model, 'url'),
      "<?xml version='1.0' encoding='utf-8' ?><ListMultipartUploadsResult><Bucket>b</Bucket>" +
        '<Encoding-Type>url</Encoding-Type><KeyMarker>k%20m</KeyMarker><UploadIdMarker>um</UploadIdMarker>' +
        '<NextKeyMarker>nk</NextKeyMarker><NextUploadIdMarker>nu</NextUploadIdMarker><MaxUploads>2</MaxUploads>' +
        '<IsTruncated>false</IsTruncated><Prefix>%E6%96%87</Prefix><Delimiter>/</Delimiter>' +
        `<Upload><Key>x%2By</Key><UploadId>u</UploadId><StorageClass>STANDARD</StorageClass><Initiator>${owner}</Initiator>` +
        `<Owner>${owner}</Owner><Initiated>t</Initiated></Upload>` +
        '<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>q/</Prefix></CommonPrefixes>' +
        '</ListMultipartUploadsResult>',
    );
  });

  test('ListBucketResult: NextMarker only when truncated', () => {
    const model: ListBucketResult = {
      Name: 'b',
      Prefix: '',
      Marker: '',
      MaxKeys: 1,
      Delimiter: '',
      IsTruncated: true,
      NextMarker: 'k',
      CommonPrefixes: [{ Prefix: 'p/' }],
      Contents: [{ Key: 'k', LastModified: 't', ETag: 'e', Size: 3, Owner: bob, StorageClass: 'STANDARD' }],
    };
    const body = (truncated: string) =>
      "<?xml version='1.0' encoding='utf-8' ?><ListBucketResult><Name>b</Name><EncodingType/><Prefix/><Marker/>" +
      `<MaxKeys>1</MaxKeys><Delimiter/>${truncated}<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes>` +
      '<Contents><Key>k</Key><LastModified>t</LastModified><ETag>&quot;e&quot;</ETag><Size>3</Size>' +
      '<Owner><ID>1250000000</ID><DisplayName>1250000000</DisplayName></Owner><StorageClass>STANDARD</StorageClass>' +
      '</Contents></ListBucketResult>';
    assert.equal(
      buildListBucketResult(model),
      body('<IsTruncated>true</IsTruncated><NextMarker>k</NextMarker>'),
    );
    assert.equal(
      buildListBucketResult({ ...model, IsTruncated: false }),
      body('<IsTruncated>false</IsTruncated>'),
    );
  });

  test('Error: declaration, five fields non-empty, extras after', () => {
    assert.equal(
      buildErrorBody({
        Code: 'NoSuchUpload',
        Message: 'm',
        Resource: 'r',
        RequestId: 'q',
        TraceId: 't',
        StringToSign: 'a&b',
      }),
      "<?xml version='1.0' encoding='utf-8' ?><Error><Code>NoSuchUpload</Code><Message>m</Message>" +
        '<Resource>r</Resource><RequestId>q</RequestId><TraceId>t</TraceId><StringToSign>a&amp;b</StringToSign></Error>',
    );
    const filled = parseErrorBody(
      buildErrorBody({ Code: 'NoSuchKey', Message: '', Resource: '', RequestId: '', TraceId: '' }),
    );
    assert.deepEqual(filled, {
      Code: 'NoSuchKey',
      Message: 'The specified key does not exist.',
      Resource: '-',
      RequestId: '-',
      TraceId: '-',
    });
    assert.throws(
      () => buildErrorBody({ Code: '', Message: 'm', Resource: 'r', RequestId: 'q', TraceId: 't' }),
      RangeError,
    );
    assert.throws(
      () =>
        buildErrorBody({ Code: 'X', Message: 'm', Resource: 'r', RequestId: 'q', TraceId: 't', 'a b': 'x' }),
      RangeError,
    );
  });
});

describe('parsing the documentation samples and lenient variants', () => {
  test('Initiate: pretty-printed, namespace, UploadID', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://www.qcloud.com/document/product/436/7751">
  <Bucket>examplebucket-1250000000</Bucket>
  <Key>exampleobject</Key>
  <UploadID>1585130821cbb7df1d</UploadID>
</InitiateMultipartUploadResult>`;
    assert.deepEqual(parseInitiateMultipartUploadResult(xml), {
      Bucket: 'examplebucket-1250000000',
      Key: 'exampleobject',
      UploadId: '1585130821cbb7df1d',
    });
  });

  test('Complete request sample (raw quotes, pretty-printed) and the Python form (declaration, &quot;)', () => {
    const doc = `<CompleteMultipartUpload>
  <Part><PartNumber>1</PartNumber><ETag>"39270a968a357d24207e9911162507eb"</ETag></Part>
  <Part>
    <PartNumber>2</PartNumber>
    <ETag>"e1e5b4965bc7d3ff7ebbe1b4b9bb5d0f"</ETag>
  </Part>
</CompleteMultipartUpload>`;
    const expected = {
      Part: [
        { PartNumber: 1, ETag: '"39270a968a357d24207e9911162507eb"' },
        { PartNumber: 2, ETag: '"e1e5b4965bc7d3ff7ebbe1b4b9bb5d0f"' },
      ],
    };
    assert.deepEqual(parseCompleteMultipartUpload(doc), expected);
    const python =
      '<?xml version="1.0" encoding="utf-8"?><CompleteMultipartUpload><Part><PartNumber>1</PartNumber>' +
      '<ETag>&quot;39270a968a357d24207e9911162507eb&quot;</ETag></Part><Part><PartNumber>2</PartNumber>' +
      '<ETag>&quot;e1e5b4965bc7d3ff7ebbe1b4b9bb5d0f&quot;</ETag></Part></CompleteMultipartUpload>';
    assert.deepEqual(parseCompleteMultipartUpload(new TextEncoder().encode(python)), expected);
  });

  test('Complete result sample: namespace, &quot;, keep-alive whitespace before the declaration', () => {
    const sample = `<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUploadResult xmlns="http://www.qcloud.com/document/product/436/7751">
  <Location>http://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/exampleobject</Location>
  <Bucket>examplebucket-1250000000</Bucket>
  <Key>exampleobject</Key>
  <ETag>&quot;aa259a62513358f69e98e72e59856d88-3&quot;</ETag>
</CompleteMultipartUploadResult>`;
    const expected = {
      Location: 'http://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/exampleobject',
      Bucket: 'examplebucket-1250000000',
      Key: 'exampleobject',
      ETag: '"aa259a62513358f69e98e72e59856d88-3"',
    };
    assert.deepEqual(parseCompleteMultipartUploadResult(sample), expected);
    assert.deepEqual(parseCompleteMultipartUploadResult(`${' '.repeat(40)}\n\n${sample}`), expected);
    assert.equal(tryParseErrorBody(sample), undefined);
  });

  test('an <Error> inside a 200 answer is recognised and refused by the result parser', () => {
    const body = `\n   <?xml version='1.0' encoding='utf-8' ?>
<Error>
  <Code>InternalError</Code>
  <Message>We encountered an internal error. Please try again.</Message>
  <Resource>examplebucket-1250000000.cos.ap-beijing.myqcloud.com/key</Resource>
  <RequestId>NjA4</RequestId>
  <TraceId>OGVm</TraceId>
</Error>`;
    assert.deepEqual(tryParseErrorBody(body), {
      Code: 'InternalError',
      Message: 'We encountered an internal error. Please try again.',
      Resource: 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com/key',
      RequestId: 'NjA4',
      TraceId: 'OGVm',
    });
    throwsCodec(() => parseCompleteMultipartUploadResult(body), /<Error>/);
    throwsCodec(() => parseCopyPartResult(body), /<Error>/);
    assert.equal(tryParseErrorBody('not xml'), undefined);
    assert.equal(tryParseErrorBody(''), undefined);
  });

  test('Error without TraceId: missing fields are empty strings', () => {
    assert.deepEqual(parseErrorBody('<Error><Code>NoSuchKey</Code><Message/></Error>'), {
      Code: 'NoSuchKey',
      Message: '',
      Resource: '',
      RequestId: '',
      TraceId: '',
    });
  });

  test('CopyPartResult sample with raw quotes', () => {
    const xml = `<CopyPartResult>
  <ETag>"ba82b57cfdfda8bd17ad4e5879ebb4fe"</ETag>
  <LastModified>2017-09-04T04:45:45</LastModified>
</CopyPartResult>`;
    assert.deepEqual(parseCopyPartResult(xml), {
      ETag: '"ba82b57cfdfda8bd17ad4e5879ebb4fe"',
      LastModified: '2017-09-04T04:45:45',
    });
  });

  test('ListParts sample: pretty-printed, <Encoding-type/>, single Part, key with spaces kept', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8" ?>
<ListPartsResult xmlns="http://www.qcloud.com/document/product/436/7751">
  <Bucket>examplebucket-1250000000</Bucket>
  <Encoding-type/>
  <Key> a </Key>
  <UploadId>1585130821cbb7df1d</UploadId>
  <Initiator><ID>1250000000</ID><DisplayName>1250000000</DisplayName></Initiator>
  <Owner><ID>qcs::cam::uin/100000000001:uin/100000000001</ID><DisplayName>100000000001</DisplayName></Owner>
  <PartNumberMarker>0</PartNumberMarker>
  <Part>
    <PartNumber>1</PartNumber>
    <LastModified>Tue Jan 17 16:43:37 2017</LastModified>
    <ETag>&quot;39270a968a357d24207e9911162507eb&quot;</ETag>
    <Size>5242880</Size>
  </Part>
  <NextPartNumberMarker>1</NextPartNumberMarker>
  <StorageClass>Standard</StorageClass>
  <MaxParts>1000</MaxParts>
  <IsTruncated>false</IsTruncated>
</ListPartsResult>`;
    assert.deepEqual(parseListPartsResult(xml), {
      Bucket: 'examplebucket-1250000000',
      Key: ' a ',
      UploadId: '1585130821cbb7df1d',
      Initiator: bob,
      Owner: alice,
      PartNumberMarker: 0,
      Part: [{ PartNumber: 1, LastModified: 'Tue Jan 17 16:43:37 2017', ETag: ETAG, Size: 5242880 }],
      NextPartNumberMarker: 1,
      StorageClass: 'Standard',
      MaxParts: 1000,
      IsTruncated: false,
    });
  });

  test('ListMultipartUploads, 2017 variant: UploadID, CommonPrefixs, Encoding-type spelled otherwise, url', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ListMultipartUploadsResult xmlns="http://www.qcloud.com/document/product/436/7751">
  <Bucket>examplebucket-1250000000</Bucket>
  <EncodingType>url</EncodingType>
  <KeyMarker/>
  <UploadIdMarker/>
  <NextKeyMarker>%E6%96%87%E4%BB%B6%E5%A4%B9/x%20</NextKeyMarker>
  <NextUploadIdMarker>1484727158f2b8034e5407d18cbf28e84f754b791ecab607d25a2e52de9fee641e5f60707c</NextUploadIdMarker>
  <MaxUploads>2</MaxUploads>
  <IsTruncated>TRUE</IsTruncated>
  <Prefix/>
  <Delimiter>/</Delimiter>
  <Upload>
    <Key>a%20b%2Bc</Key>
    <UploadID>1484726657932bcb5b17f7a98a8cad9fc36a340ff204c79bd2f51e7dddf0b3c3f2a8a1e0e</UploadID>
    <StorageClass>Standard</StorageClass>
    <Initiator><ID>1250000000</ID><DisplayName>1250000000</DisplayName></Initiator>
    <Owner><ID>1250000000</ID><DisplayName>1250000000</DisplayName></Owner>
    <Initiated>2017-06-12T10:13:05.000Z</Initiated>
  </Upload>
  <CommonPrefixs><Prefix>%25/</Prefix></CommonPrefixs>
  <CommonPrefixes><Prefix>dir/</Prefix><Prefix>%3F/</Prefix></CommonPrefixes>
</ListMultipartUploadsResult>`;
    assert.deepEqual(parseListMultipartUploadsResult(xml), {
      Bucket: 'examplebucket-1250000000',
      EncodingType: 'url',
      KeyMarker: '',
      UploadIdMarker: '',
      NextKeyMarker: '文件夹/x ',
      NextUploadIdMarker: '1484727158f2b8034e5407d18cbf28e84f754b791ecab607d25a2e52de9fee641e5f60707c',
      MaxUploads: 2,
      IsTruncated: true,
      Prefix: '',
      Delimiter: '/',
      Upload: [
        {
          Key: 'a b+c',
          UploadId: '1484726657932bcb5b17f7a98a8cad9fc36a340ff204c79bd2f51e7dddf0b3c3f2a8a1e0e',
          StorageClass: 'Standard',
          Initiator: bob,
          Owner: bob,
          Initiated: '2017-06-12T10:13:05.000Z',
        },
      ],
      CommonPrefixes: [{ Prefix: '%/' }, { Prefix: 'dir/' }, { Prefix: '?/' }],
    });
  });

  test('ListBucket: skeleton with empty elements, no Contents, CDATA and character references', () => {
    const xml = `<?xml version='1.0' encoding='utf-8' ?>
<ListBucketResult>
  <Name>examplebucket-1250000000</Name>
  <EncodingType/>
  <Prefix/>
  <Marker/>
  <MaxKeys>1000</MaxKeys>
  <Delimiter/>
  <IsTruncated>false</IsTruncated>
  <NextMarker/>
  <Contents>
    <Key><![CDATA[a&b <c>]]>&#13;&#x1F600;&apos;</Key>
    <LastModified>2019-08-26T02:47:09.000Z</LastModified>
    <ETag>39270a968a357d24207e9911162507eb</ETag>
    <Size>0</Size>
    <Owner><ID>1250000000</ID><DisplayName>1250000000</DisplayName></Owner>
    <StorageClass>STANDARD</StorageClass>
    <StorageTier>FREQUENT</StorageTier>
  </Contents>
</ListBucketResult>`;
    assert.deepEqual(parseListBucketResult(xml), {
      Name: 'examplebucket-1250000000',
      Prefix: '',
      Marker: '',
      MaxKeys: 1000,
      Delimiter: '',
      IsTruncated: false,
      CommonPrefixes: [],
      Contents: [
        {
          Key: "a&b <c>\r😀'",
          LastModified: '2019-08-26T02:47:09.000Z',
          ETag: ETAG,
          Size: 0,
          Owner: bob,
          StorageClass: 'STANDARD',
        },
      ],
    });
  });

  test('whitespace between elements is dropped, whitespace inside a key is kept', () => {
    const root = parseXmlDocument('<R>\n  <Key> a </Key>\n  <Key>   </Key>\n  <Key>\n</Key>\n</R>');
    assert.deepEqual(
      root.children.map((c) => c.text),
      [' a ', '   ', '\n'],
    );
  });

  test('namespace prefixes on elements are removed', () => {
    const xml =
      '<s3:ListBucketResult xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:Name>b</s3:Name>' +
      '<s3:Contents><s3:Key>k</s3:Key><s3:Size>1</s3:Size></s3:Contents></s3:ListBucketResult>';
    const parsed = parseListBucketResult(xml);
    assert.equal(parsed.Name, 'b');
    assert.deepEqual(
      parsed.Contents.map((c) => [c.Key, c.Size]),
      [['k', 1]],
    );
  });

  test('a malformed number in a response is an XmlCodecError', () => {
    throwsCodec(() => parseListPartsResult('<ListPartsResult><MaxParts>lots</MaxParts></ListPartsResult>'));
  });
});

describe('CompleteMultipartUpload: bounds and malformed bodies (server side)', () => {
  const part = (n: string, etag = ETAG) => `<Part><PartNumber>${n}</PartNumber><ETag>${etag}</ETag></Part>`;
  const doc = (inner: string) => `<CompleteMultipartUpload>${inner}</CompleteMultipartUpload>`;

  test('10000 parts accepted, 10001 refused', () => {
    const many = (count: number) =>
      doc(Array.from({ length: count }, (_, i) => part(String(i + 1))).join(''));
    assert.equal(parseCompleteMultipartUpload(many(10000)).Part.length, 10000);
    throwsCodec(() => parseCompleteMultipartUpload(many(10001)), /10001/);
  });

  const malformed: [string, string | Uint8Array][] = [
    ['empty body', ''],
    ['whitespace only', '   \n'],
    ['not XML', 'PartNumber=1'],
    ['JSON', '{"Part":[{"PartNumber":1,"ETag":"x"}]}'],
    ['unclosed element', '<CompleteMultipartUpload><Part>'],
    ['mismatched tags', `<CompleteMultipartUpload>${part('1')}</Complete>`],
    ['two roots', `${doc(part('1'))}${doc(part('2'))}`],
    ['text after the root', `${doc(part('1'))}junk`],
    ['wrong root', `<CompleteMultipartUploadResult>${part('1')}</CompleteMultipartUploadResult>`],
    ['Error root', '<Error><Code>x</Code></Error>'],
    ['no parts', doc('')],
    ['self-closing root', '<CompleteMultipartUpload/>'],
    ['missing PartNumber', doc(`<Part><ETag>${ETAG}</ETag></Part>`)],
    ['empty PartNumber', doc(part(''))],
    [
      'two PartNumbers',
      doc(`<Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber><ETag>${ETAG}</ETag></Part>`),
    ],
    ['fractional PartNumber', doc(part('1.5'))],
    ['negative PartNumber', doc(part('-1'))],
    ['hex PartNumber', doc(part('0x10'))],
    ['exponent PartNumber', doc(part('1e3'))],
    ['huge PartNumber', doc(part('99999999999999999999'))],
    ['word PartNumber', doc(part('one'))],
    ['missing ETag', doc('<Part><PartNumber>1</PartNumber></Part>')],
    ['empty ETag', doc(part('1', ''))],
    ['quotes-only ETag', doc(part('1', '&quot;&quot;'))],
    ['DOCTYPE', `<!DOCTYPE CompleteMultipartUpload>${doc(part('1'))}`],
    [
      'billion laughs',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>' +
        doc(part('1', '&lol2;')),
    ],
    ['external entity', `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${doc(part('1', '&e;'))}`],
    ['undefined entity', doc(part('1', '&nbsp;'))],
    ['bare ampersand', doc(part('1', 'a&b'))],
    ['character reference out of range', doc(part('1', '&#x110000;'))],
    ['invalid UTF-8 bytes', new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e])],
  ];
  for (const [name, body] of malformed) {
    test(`refuses: ${name}`, () => throwsCodec(() => parseCompleteMultipartUpload(body)));
  }

  test('tolerates: namespace, attributes, comments, unknown elements, spaces around PartNumber, unquoted ETag; reads S3 part checksums', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<!-- from a hand-written client -->
<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/" foo="bar">
  <Part><PartNumber> 07 </PartNumber><ETag> abc </ETag><Unknown>x</Unknown><ChecksumCRC32> x </ChecksumCRC32></Part>
  <Part><PartNumber>8</PartNumber><ETag>def</ETag><ChecksumSHA256/></Part>
  <Extra/>
</CompleteMultipartUpload>`;
    assert.deepEqual(parseCompleteMultipartUpload(xml), {
      Part: [
        { PartNumber: 7, ETag: '"abc"', Checksums: { crc32: 'x' } },
        { PartNumber: 8, ETag: '"def"' },
      ],
    });
  });
});

describe('text XML 1.0 cannot carry', () => {
  const controls = ['\u0001', '\u0008', '\u000b', '\u001f', '\ud800', '\udfff', '\ufffe', '\uffff'];

  test('builders throw XmlUnrepresentableError naming the field, never emit it', () => {
    for (const c of controls) {
      const key = `a${c}b`;
      assert.throws(
        () => buildListBucketResult({ ...listBucket([key], [], false), Prefix: '', Marker: '' }),
        (error: unknown) =>
          error instanceof XmlUnrepresentableError &&
          error.field === 'Contents[0].Key' &&
          error.codePoint === c.codePointAt(0) &&
          error.cosCode === 'InvalidArgument',
      );
      assert.throws(
        () => buildInitiateMultipartUploadResult({ Bucket: 'b', Key: key, UploadId: 'u' }),
        XmlUnrepresentableError,
      );
      assert.throws(() => buildListPartsResult(listParts(key, 0)), XmlUnrepresentableError);
      assert.throws(() => buildListMultipartUploadsResult(listUploads([key], [])), XmlUnrepresentableError);
    }
  });

  test('with encoding-type=url the same keys are listed and come back intact', () => {
    for (const c of controls.filter((ch) => !/[\ud800-\udfff]/.test(ch))) {
      const key = `a${c}b`;
      const model = listBucket([key], [`${key}/`], true);
      assert.deepEqual(parseListBucketResult(buildListBucketResult(model, 'url')), {
        ...model,
        EncodingType: 'url',
      });
      const uploads = listUploads([key], [`${key}/`]);
      assert.deepEqual(parseListMultipartUploadsResult(buildListMultipartUploadsResult(uploads, 'url')), {
        ...uploads,
        EncodingType: 'url',
      });
      const parts = listParts(key, 1);
      assert.deepEqual(parseListPartsResult(buildListPartsResult(parts, 'url')), {
        ...parts,
        EncodingType: 'url',
      });
    }
  });

  test('an unpaired surrogate cannot be carried even with encoding-type=url', () => {
    assert.throws(
      () => buildListBucketResult({ ...listBucket(['a\ud800'], [], false), Prefix: '', Marker: '' }, 'url'),
      (error: unknown) => error instanceof XmlUnrepresentableError && error.field === 'Contents[0].Key',
    );
  });

  test('tab, LF, CR and astral characters are fine', () => {
    const model = { Bucket: 'b', Key: '\t\n\r😀', UploadId: 'u' };
    const xml = buildInitiateMultipartUploadResult(model);
    assert.equal(xml.includes('&#13;'), true);
    assert.deepEqual(parseInitiateMultipartUploadResult(xml), model);
  });
});

describe('ETag helpers', () => {
  test('quote and unquote', () => {
    assert.equal(quoteETag('abc'), '"abc"');
    assert.equal(quoteETag('"abc"'), '"abc"');
    assert.equal(quoteETag(''), '');
    assert.equal(unquoteETag('"abc-3"'), 'abc-3');
    assert.equal(unquoteETag('abc'), 'abc');
  });
});

describe("what the official Node SDK's parser reads from our output", () => {
  const sdkParse = (xml: string) => sdkParser.parse(xml);

  test('InitiateMultipartUploadResult', () => {
    for (const Key of ODD_KEYS.filter((k) => !k.includes('\r'))) {
      const model = { Bucket: 'examplebucket-1250000000', Key, UploadId: '1585130821cbb7df1d' };
      assert.deepEqual(sdkParse(buildInitiateMultipartUploadResult(model)), {
        InitiateMultipartUploadResult: model,
      });
    }
  });

  test('ListPartsResult: string fields, quoted ETag, Part single and repeated', () => {
    const key = `  ${`&<>"'`} 文件夹/x `;
    const one = sdkParse(buildListPartsResult(listParts(key, 1)));
    assert.deepEqual(one, {
      ListPartsResult: {
        Bucket: 'examplebucket-1250000000',
        'Encoding-type': '',
        Key: key,
        UploadId: '1585130821cbb7df1d11846c073ad648e8f33b087cec2381df437acdc833cf654b9ecc6361',
        Initiator: { ID: bob.ID, DisplayName: bob.DisplayName },
        Owner: { ID: alice.ID, DisplayName: alice.DisplayName },
        PartNumberMarker: '0',
        Part: { PartNumber: '1', LastModified: '2020-03-25T10:07:01.000Z', ETag: ETAG, Size: '1048576' },
        NextPartNumberMarker: '1',
        StorageClass: 'STANDARD',
        MaxParts: '1000',
        IsTruncated: 'false',
      },
    });
    const three = sdkParse(buildListPartsResult({ ...listParts('k', 3), IsTruncated: true }, 'url')) as {
      ListPartsResult: {
        Part: { ETag: string; Size: string }[];
        IsTruncated: string;
        'Encoding-type': string;
      };
    };
    assert.equal(three.ListPartsResult.Part.length, 3);
    assert.equal(three.ListPartsResult.Part[2]!.ETag, ETAG);
    assert.equal(three.ListPartsResult.Part[2]!.Size, '1048578');
    assert.equal(three.ListPartsResult.IsTruncated, 'true');
    assert.equal(three.ListPartsResult['Encoding-type'], 'url');
  });

  test('Error: the five fields the SDK copies into err.error', () => {
    const model: CosErrorBody = {
      Code: 'NoSuchUpload',
      Message: `The upload "x" & <y> isn't there`,
      Resource: 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com/a b',
      RequestId: 'NjE2ZTg1ZjBf',
      TraceId: 'OGVmYzZiMmQz',
      StringToSign: 'sha1\n1;2\nabc\n',
    };
    assert.deepEqual(sdkParse(buildErrorBody(model)), { Error: model });
  });

  test('CompleteMultipartUploadResult and CopyPartResult', () => {
    const complete = { Location: 'l', Bucket: 'b', Key: 'a b', ETag: '"aa-3"' };
    assert.deepEqual(sdkParse(buildCompleteMultipartUploadResult(complete)), {
      CompleteMultipartUploadResult: complete,
    });
    const copy = { ETag: '"e"', LastModified: '2017-09-04T04:45:45' };
    assert.deepEqual(sdkParse(buildCopyPartResult(copy)), { CopyPartResult: copy });
  });

  test('ListBucketResult and ListMultipartUploadsResult keep the names the SDK reads', () => {
    const bucket = sdkParse(buildListBucketResult(listBucket(['a', 'b'], ['p/'], true))) as {
      ListBucketResult: Record<string, unknown>;
    };
    assert.equal(bucket.ListBucketResult['NextMarker'], 'b');
    assert.equal((bucket.ListBucketResult['Contents'] as unknown[]).length, 2);
    assert.deepEqual(bucket.ListBucketResult['CommonPrefixes'], { Prefix: 'p/' });
    const uploads = sdkParse(buildListMultipartUploadsResult(listUploads(['k'], []))) as {
      ListMultipartUploadsResult: { Upload: { Key: string; UploadId: string } };
    };
    assert.deepEqual(
      [uploads.ListMultipartUploadsResult.Upload.Key, uploads.ListMultipartUploadsResult.Upload.UploadId],
      ['k', '1585130820abc'],
    );
  });
});
