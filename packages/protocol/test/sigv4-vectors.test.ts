/**
 * SigV4 against the values AWS publishes: the Signature Version 4 test suite, and the S3 API reference's
 * examples (GET Object, PUT Object, GET ?lifecycle, GET ?max-keys&prefix, the pre-signed URL, and the
 * chunked uploads with and without a signed trailer, with their exact seed, chunk and trailer
 * signatures). Each is checked from both ends: our signer produces AWS's value, and our verifier and
 * aws-chunked decoder accept AWS's literal request and refuse it once a byte changes.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  AwsChunkedDecoder,
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  credentialScope,
  decodeComponent,
  deriveSigningKey,
  EMPTY_SHA256,
  encodeAwsChunked,
  formatSigV4Authorization,
  openPayload,
  parseQuery,
  parseSigV4Authorization,
  presignSigV4,
  requestStringToSign,
  SigV4Error,
  signatureOf,
  signSigV4Request,
  verifySigV4Request,
} from '../src/index.js';
import { SUITE, SUITE_CASES } from './support/aws-sigv4-suite.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Lower-case name → values, as the server reads `headersDistinct`. */
function headerMap(pairs: Iterable<readonly [string, string]>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [n, v] of pairs) map.set(n.toLowerCase(), [...(map.get(n.toLowerCase()) ?? []), v]);
  return map;
}

/** Asserts that `fn` throws a SigV4Error with `code`. */
function throwsCode(fn: () => unknown, code: string, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SigV4Error, `expected SigV4Error, got ${String(e)}`);
    assert.equal(e.cosCode, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test(`the AWS SigV4 test suite: ${SUITE_CASES.length} cases give AWS's canonical request, string to sign and Authorization`, () => {
  let withCanonical = 0;
  let withAuthorization = 0;
  for (const c of SUITE_CASES) {
    // The signed names come from the published Authorization (the one case without it signs them all).
    const published = c.authorization
      ? parseSigV4Authorization(c.authorization)
      : parseSigV4Authorization(
          `AWS4-HMAC-SHA256 Credential=${SUITE.accessKeyId}/20150830/${SUITE.region}/${SUITE.service}/aws4_request, ` +
            `SignedHeaders=${[...new Set(c.headers.map(([n]) => n.toLowerCase()))].sort().join(';')}, Signature=${'0'.repeat(64)}`,
        );
    const headers = headerMap(c.headers.map(([n, v]) => [n, v] as const));
    const canonical = canonicalRequest({
      method: c.method,
      uri: canonicalUri(decodeComponent(c.path)!),
      query: canonicalQuery(parseQuery(c.query)!),
      headers: canonicalHeaders(published.signedHeaders, (n) => headers.get(n)),
      signedHeaders: published.signedHeaders,
      payloadHash: sha256(c.body),
    });
    const scope = credentialScope({
      date: SUITE.amzDate.slice(0, 8),
      region: SUITE.region,
      service: SUITE.service,
    });
    const toSign = requestStringToSign(SUITE.amzDate, scope, canonical);
    if (c.canonicalRequest !== undefined) {
      assert.equal(canonical, c.canonicalRequest, c.name);
      withCanonical++;
    }
    if (c.stringToSign !== undefined) assert.equal(toSign, c.stringToSign, c.name);
    const key = deriveSigningKey(SUITE.secretAccessKey, published.credential);
    const authorization = formatSigV4Authorization({ ...published, signature: signatureOf(key, toSign) });
    if (c.authorization !== undefined) {
      assert.equal(authorization, c.authorization, c.name);
      withAuthorization++;
    }
  }
  assert.ok(withCanonical >= 20, `only ${withCanonical} cases compared canonical requests`);
  assert.ok(withAuthorization >= 20, `only ${withAuthorization} cases compared signatures`);
});

// The S3 API reference's examples: examplebucket, us-east-1, 2013-05-24T00:00:00Z.
const EXAMPLE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  nowMs: Date.UTC(2013, 4, 24),
} as const;
const secretFor = (id: string) =>
  id === EXAMPLE.accessKeyId ? { secretAccessKey: EXAMPLE.secretAccessKey } : undefined;
const HOST = 'examplebucket.s3.amazonaws.com';

interface HeaderExample {
  name: string;
  method: string;
  rawPath: string;
  pathname: string;
  query: string;
  headers: Record<string, string>;
  payloadHash: string;
  signature: string;
  body?: string;
}

const HEADER_EXAMPLES: HeaderExample[] = [
  {
    name: 'GET Object',
    method: 'GET',
    rawPath: '/test.txt',
    pathname: '/test.txt',
    query: '',
    headers: { Host: HOST, Range: 'bytes=0-9' },
    payloadHash: EMPTY_SHA256,
    signature: 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
  },
  {
    name: 'PUT Object',
    method: 'PUT',
    rawPath: '/test%24file.text',
    pathname: '/test$file.text',
    query: '',
    headers: {
      Host: HOST,
      Date: 'Fri, 24 May 2013 00:00:00 GMT',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    },
    payloadHash: '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
    signature: '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    body: 'Welcome to Amazon S3.',
  },
  {
    name: 'GET Bucket lifecycle',
    method: 'GET',
    rawPath: '/',
    pathname: '/',
    query: 'lifecycle',
    headers: { Host: HOST },
    payloadHash: EMPTY_SHA256,
    signature: 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
  },
  {
    name: 'GET Bucket (list objects)',
    method: 'GET',
    rawPath: '/',
    pathname: '/',
    query: 'max-keys=2&prefix=J',
    headers: { Host: HOST },
    payloadHash: EMPTY_SHA256,
    signature: '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
  },
];

test("the S3 examples' canonical request and string to sign for GET Object are AWS's", () => {
  const signed = signSigV4Request({ ...EXAMPLE, ...HEADER_EXAMPLES[0]!, query: parseQuery('')! });
  assert.equal(
    signed.canonicalRequest,
    'GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n' +
      `x-amz-content-sha256:${EMPTY_SHA256}\nx-amz-date:20130524T000000Z\n\n` +
      `host;range;x-amz-content-sha256;x-amz-date\n${EMPTY_SHA256}`,
  );
  assert.equal(
    signed.stringToSign,
    'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n' +
      '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972',
  );
});

for (const ex of HEADER_EXAMPLES) {
  test(`S3 example "${ex.name}": our signature is AWS's, and the verifier takes AWS's request only as sent`, () => {
    const signed = signSigV4Request({ ...EXAMPLE, ...ex, query: parseQuery(ex.query)! });
    assert.equal(signed.signature, ex.signature);

    const received = (headers: Record<string, string>, rawPath = ex.rawPath, query = ex.query) => ({
      method: ex.method,
      rawPath,
      query: parseQuery(query)!,
      headers: headerMap(Object.entries(headers)),
    });
    const asSent = { ...signed.headers };
    const verified = verifySigV4Request(received(asSent), { ...EXAMPLE, secretFor });
    assert.equal(verified.form, 'header');
    assert.equal(verified.signing.seedSignature, ex.signature);
    assert.deepEqual(verified.payload, { kind: 'sha256', sha256: ex.payloadHash });

    if (ex.body !== undefined) {
      const ok = openPayload(verified.payload, verified.signing);
      assert.equal(Buffer.concat(ok.push(Buffer.from(ex.body))).toString(), ex.body);
      ok.end();
      const bad = openPayload(verified.payload, verified.signing);
      bad.push(Buffer.from(ex.body.replace('S3', 's3')));
      throwsCode(() => bad.end(), 'XAmzContentSHA256Mismatch');
    }
    throwsCode(
      () =>
        verifySigV4Request(received({ ...asSent, Host: 'examplebucket.s3.amazonaws.co' }), {
          ...EXAMPLE,
          secretFor,
        }),
      'SignatureDoesNotMatch',
    );
    throwsCode(
      () => verifySigV4Request(received(asSent, `${ex.rawPath}x`), { ...EXAMPLE, secretFor }),
      'SignatureDoesNotMatch',
    );
    throwsCode(
      () => verifySigV4Request(received(asSent, ex.rawPath, `${ex.query}&x=1`), { ...EXAMPLE, secretFor }),
      'SignatureDoesNotMatch',
    );
    throwsCode(
      () =>
        verifySigV4Request(received(asSent), {
          ...EXAMPLE,
          nowMs: EXAMPLE.nowMs + 15 * 60_000 + 1000,
          secretFor,
        }),
      'RequestTimeTooSkewed',
    );
    throwsCode(
      () => verifySigV4Request(received(asSent), { ...EXAMPLE, region: 'ap-guangzhou', secretFor }),
      'AuthorizationHeaderMalformed',
      /region 'us-east-1' is wrong; expecting 'ap-guangzhou'/,
    );
    throwsCode(
      () => verifySigV4Request(received({ ...asSent, 'x-amz-meta-extra': '1' }), { ...EXAMPLE, secretFor }),
      'AccessDenied',
      /not signed/,
    );
  });
}

const PRESIGNED_URL =
  '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
  '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
  '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';

test("S3 example pre-signed URL: our query is AWS's, valid for exactly X-Amz-Expires seconds", () => {
  const presigned = presignSigV4({
    ...EXAMPLE,
    method: 'GET',
    pathname: '/test.txt',
    headers: { Host: HOST },
    expiresSeconds: 86400,
  });
  assert.equal(`/test.txt?${presigned.queryString}`, PRESIGNED_URL);

  const received = (url: string) => ({
    method: 'GET',
    rawPath: url.slice(0, url.indexOf('?')),
    query: parseQuery(url.slice(url.indexOf('?') + 1))!,
    headers: headerMap([['host', HOST]]),
  });
  const atSecond = (s: number) => ({ ...EXAMPLE, nowMs: EXAMPLE.nowMs + s * 1000, secretFor });
  const verified = verifySigV4Request(received(PRESIGNED_URL), atSecond(86400));
  assert.equal(verified.form, 'query');
  assert.deepEqual(verified.payload, { kind: 'unsigned' });
  throwsCode(() => verifySigV4Request(received(PRESIGNED_URL), atSecond(86401)), 'AccessDenied', /expired/);
  throwsCode(
    () => verifySigV4Request(received(PRESIGNED_URL), atSecond(-901)),
    'AccessDenied',
    /not valid yet/,
  );
  throwsCode(
    () => verifySigV4Request(received(PRESIGNED_URL.replace('test.txt', 'test.txT')), atSecond(1)),
    'SignatureDoesNotMatch',
  );
  throwsCode(
    () => verifySigV4Request(received(PRESIGNED_URL.replace('86400', '86401')), atSecond(1)),
    'SignatureDoesNotMatch',
  );
  throwsCode(
    () => verifySigV4Request(received(PRESIGNED_URL.replace('86400', '604801')), atSecond(1)),
    'AuthorizationQueryParametersError',
    /604800/,
  );
  throwsCode(
    () => verifySigV4Request(received(`${PRESIGNED_URL}&X-Amz-Date=20130524T000000Z`), atSecond(1)),
    'AuthorizationQueryParametersError',
    /more than once/,
  );
});

// "Transferring payload in multiple chunks": PUT /examplebucket/chunkObject.txt, 66 560 bytes of 'a' as
// chunks of 65 536 and 1 024 bytes and the final empty one.
const CHUNKED_HEADERS = {
  Host: 's3.amazonaws.com',
  'x-amz-date': '20130524T000000Z',
  'x-amz-storage-class': 'REDUCED_REDUNDANCY',
  'Content-Encoding': 'aws-chunked',
  'x-amz-decoded-content-length': '66560',
  'Content-Length': '66824',
  'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  Authorization:
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
    'SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,' +
    'Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
};
const A = Buffer.alloc(66560, 'a');
const CHUNKED_BODY = Buffer.concat([
  Buffer.from('10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n'),
  A.subarray(0, 65536),
  Buffer.from('\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n'),
  A.subarray(65536),
  Buffer.from(
    '\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n',
  ),
]);

function verifyChunked(headers: Record<string, string>) {
  return verifySigV4Request(
    {
      method: 'PUT',
      rawPath: '/examplebucket/chunkObject.txt',
      query: [],
      headers: headerMap(Object.entries(headers)),
    },
    { ...EXAMPLE, secretFor },
  );
}

/** Pushes `body` in pieces of `step` bytes; returns the payload and the trailers. */
function decodeAll(
  decoder: { push(b: Uint8Array): Uint8Array[]; end(): ReadonlyMap<string, string> },
  body: Buffer,
  step: number,
) {
  const out: Uint8Array[] = [];
  for (let i = 0; i < body.length; i += step) out.push(...decoder.push(body.subarray(i, i + step)));
  return { payload: Buffer.concat(out), trailers: decoder.end() };
}

test("S3 chunked upload example: seed signature, chunk signatures and body bytes are AWS's", () => {
  const { Authorization: _published, ...unsigned } = CHUNKED_HEADERS;
  const signed = signSigV4Request({
    ...EXAMPLE,
    method: 'PUT',
    pathname: '/examplebucket/chunkObject.txt',
    headers: Object.fromEntries(
      Object.entries(unsigned).filter(([n]) => n !== 'x-amz-date' && n !== 'x-amz-content-sha256'),
    ),
    payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  });
  assert.equal(signed.signature, '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9');
  const encoded = Buffer.concat(
    encodeAwsChunked([A.subarray(0, 65536), A.subarray(65536)], { signing: signed.signing }),
  );
  assert.equal(encoded.length, 66824);
  assert.ok(encoded.equals(CHUNKED_BODY), 'encoded body differs from the published one');
});

test('S3 chunked upload example: the decoder yields the 66 560 bytes whatever the read sizes, and refuses any change', () => {
  const verified = verifyChunked(CHUNKED_HEADERS);
  assert.deepEqual(verified.payload, {
    kind: 'aws-chunked',
    signedChunks: true,
    trailer: 'none',
    trailerNames: [],
    decodedLength: 66560,
  });
  for (const step of [1, 7, 86, 87, 88, 4096, 65536, CHUNKED_BODY.length]) {
    const { payload, trailers } = decodeAll(
      openPayload(verified.payload, verified.signing),
      CHUNKED_BODY,
      step,
    );
    assert.ok(payload.equals(A), `step ${step}`);
    assert.equal(trailers.size, 0);
  }
  const decode = (body: Buffer) => decodeAll(openPayload(verified.payload, verified.signing), body, 1000);
  const flipped = Buffer.from(CHUNKED_BODY);
  flipped[66000] = 0x62; // one byte of the second chunk's data
  throwsCode(() => decode(flipped), 'SignatureDoesNotMatch');
  const lastSig = Buffer.from(CHUNKED_BODY);
  lastSig[lastSig.length - 5] = 0x38; // "9" → "8" in the final chunk's signature
  throwsCode(() => decode(lastSig), 'SignatureDoesNotMatch');
  // The second chunk removed: sizes no longer add up, and the chain breaks.
  const dropped = Buffer.concat([CHUNKED_BODY.subarray(0, 65626), CHUNKED_BODY.subarray(65626 + 86 + 1026)]);
  assert.throws(() => decode(dropped), SigV4Error);
  throwsCode(() => decode(CHUNKED_BODY.subarray(0, CHUNKED_BODY.length - 2)), 'IncompleteBody');
  throwsCode(() => decode(CHUNKED_BODY.subarray(0, 40000)), 'IncompleteBody');
  throwsCode(
    () => decode(Buffer.concat([CHUNKED_BODY, Buffer.from('x')])),
    'InvalidRequest',
    /follow the end/,
  );
  // A seed signature from a different request: the first chunk no longer chains.
  const other = openPayload(verified.payload, { ...verified.signing, seedSignature: '0'.repeat(64) });
  throwsCode(() => decodeAll(other, CHUNKED_BODY, 70000), 'SignatureDoesNotMatch');
  // The request itself with one signed header changed.
  throwsCode(
    () => verifyChunked({ ...CHUNKED_HEADERS, 'x-amz-decoded-content-length': '66561' }),
    'SignatureDoesNotMatch',
  );
});

// "Signature calculations for trailing headers": the same object with a signed CRC32C trailer.
const TRAILER_HEADERS = {
  Host: 's3.amazonaws.com',
  'x-amz-date': '20130524T000000Z',
  'x-amz-storage-class': 'REDUCED_REDUNDANCY',
  'Content-Encoding': 'aws-chunked',
  'x-amz-decoded-content-length': '66560',
  'x-amz-trailer': 'x-amz-checksum-crc32c',
  'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  Authorization:
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
    'SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,' +
    'Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e',
};
const TRAILER_BODY = Buffer.concat([
  Buffer.from('10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n'),
  A.subarray(0, 65536),
  Buffer.from('\r\n400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n'),
  A.subarray(65536),
  Buffer.from(
    '\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n' +
      'x-amz-checksum-crc32c:sOO8/Q==\r\n' +
      'x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n',
  ),
]);

test("S3 signed-trailer example: seed, chunk and trailer signatures are AWS's; the decoder returns the checksum", () => {
  const { Authorization: _published, ...rest } = TRAILER_HEADERS;
  const signed = signSigV4Request({
    ...EXAMPLE,
    method: 'PUT',
    pathname: '/examplebucket/chunkObject.txt',
    headers: Object.fromEntries(
      Object.entries(rest).filter(([n]) => n !== 'x-amz-date' && n !== 'x-amz-content-sha256'),
    ),
    payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  });
  assert.equal(signed.signature, '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e');
  const encoded = Buffer.concat(
    encodeAwsChunked([A.subarray(0, 65536), A.subarray(65536)], {
      signing: signed.signing,
      trailers: [['x-amz-checksum-crc32c', 'sOO8/Q==']],
    }),
  );
  assert.ok(encoded.equals(TRAILER_BODY), 'encoded body differs from the published one');

  const verified = verifySigV4Request(
    {
      method: 'PUT',
      rawPath: '/examplebucket/chunkObject.txt',
      query: [],
      headers: headerMap(Object.entries(TRAILER_HEADERS)),
    },
    { ...EXAMPLE, secretFor },
  );
  for (const step of [1, 13, 100, 70000]) {
    const { payload, trailers } = decodeAll(
      openPayload(verified.payload, verified.signing),
      TRAILER_BODY,
      step,
    );
    assert.ok(payload.equals(A));
    assert.deepEqual([...trailers], [['x-amz-checksum-crc32c', 'sOO8/Q==']]);
  }
  // Clients differ in the framing around the trailer: an empty line before it, no final CRLF.
  const zeroChunkEnd = TRAILER_BODY.indexOf('x-amz-checksum-crc32c');
  const withBlankLine = Buffer.concat([
    TRAILER_BODY.subarray(0, zeroChunkEnd),
    Buffer.from('\r\n'),
    TRAILER_BODY.subarray(zeroChunkEnd),
  ]);
  const unterminated = TRAILER_BODY.subarray(0, TRAILER_BODY.length - 4);
  for (const body of [withBlankLine, unterminated]) {
    const { trailers } = decodeAll(openPayload(verified.payload, verified.signing), body, 500);
    assert.equal(trailers.get('x-amz-checksum-crc32c'), 'sOO8/Q==');
  }
  const decode = (body: Buffer) => decodeAll(openPayload(verified.payload, verified.signing), body, 4096);
  throwsCode(
    () => decode(Buffer.from(TRAILER_BODY.toString('latin1').replace('sOO8/Q==', 'sOO8/Q=A'), 'latin1')),
    'SignatureDoesNotMatch',
  );
  const noSignature = Buffer.from(
    TRAILER_BODY.toString('latin1').replace(/x-amz-trailer-signature:[0-9a-f]+\r\n/, ''),
    'latin1',
  );
  throwsCode(() => decode(noSignature), 'MalformedTrailerError', /without x-amz-trailer-signature/);
  const renamed = Buffer.from(TRAILER_BODY.toString('latin1').replace('crc32c:', 'crc32:'), 'latin1');
  throwsCode(() => decode(renamed), 'MalformedTrailerError', /not announced/);
});

test('a decoder built by hand takes the same options the verifier derives', () => {
  const d = new AwsChunkedDecoder({ trailer: 'none', trailerNames: [], decodedLength: 3 });
  assert.deepEqual(Buffer.concat(d.push(Buffer.from('3\r\nabc\r\n0\r\n\r\n'))).toString(), 'abc');
  assert.equal(d.end().size, 0);
  assert.equal(d.decodedBytes, 3);
});
