/**
 * The SigV4 rules beyond the published vectors: exact parsing of the Authorization header and the
 * pre-signed query, the 15-minute clock, unsigned `x-amz-*` headers, session tokens, the payload forms
 * (`x-amz-content-sha256` hash checked while streaming, `STREAMING-UNSIGNED-PAYLOAD-TRAILER` as the AWS
 * SDKs send it), malformed aws-chunked framing and its bounds; and the two `#sha256` back ends agreeing.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import {
  AwsChunkedDecoder,
  encodeAwsChunked,
  LIMITS,
  openPayload,
  parseSigV4Authorization,
  readPayloadMode,
  SigV4Error,
  type SigV4Request,
  signSigV4Request,
  verifySigV4Request,
} from '../src/index.js';
import * as nodeSha256 from '../src/signature/sha256-node.js';
import * as webSha256 from '../src/signature/sha256-web.js';

function throwsCode(fn: () => unknown, code: string, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SigV4Error, `expected SigV4Error, got ${String(e)}`);
    assert.equal(e.cosCode, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

const GOOD =
  'AWS4-HMAC-SHA256 Credential=AKID/20260101/ap-guangzhou/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
  'a'.repeat(64);

test('the Authorization header parses exactly: every malformed, repeated or unknown field is refused', () => {
  const parsed = parseSigV4Authorization(GOOD);
  assert.deepEqual(parsed.credential, {
    accessKeyId: 'AKID',
    date: '20260101',
    region: 'ap-guangzhou',
    service: 's3',
  });
  assert.deepEqual(parsed.signedHeaders, ['host', 'x-amz-date']);
  // Separators without spaces, as some clients send them, and upper-case hex.
  assert.equal(
    parseSigV4Authorization(GOOD.replace(/, /g, ',').replace(/a{64}/, 'A'.repeat(64))).signature,
    'a'.repeat(64),
  );
  const bad: [string, RegExp][] = [
    ['AWS4-HMAC-SHA1 Credential=x', /algorithm/],
    ['AWS4-ECDSA-P256-SHA256 Credential=x', /not supported/],
    ['AWS4-HMAC-SHA256', /no Credential/],
    [GOOD.replace('Credential=', 'credential='), /unknown/],
    [`${GOOD}, Signature=${'b'.repeat(64)}`, /repeats Signature/],
    [`${GOOD}, Extra=1`, /unknown/],
    [GOOD.replace(', SignedHeaders=host;x-amz-date', ''), /missing SignedHeaders/],
    [GOOD.replace('SignedHeaders=host;x-amz-date', 'SignedHeaders='), /missing SignedHeaders/],
    [GOOD.replace('host;x-amz-date', 'x-amz-date;host'), /sorted/],
    [GOOD.replace('host;x-amz-date', 'host;host'), /sorted/],
    [GOOD.replace('host;x-amz-date', 'Host;x-amz-date'), /invalid/],
    [GOOD.replace('host;x-amz-date', 'x-amz-date'), /include host/],
    [GOOD.replace('host;x-amz-date', 'host;;x-amz-date'), /invalid/],
    [GOOD.replace('a'.repeat(64), 'a'.repeat(63)), /64 hex/],
    [GOOD.replace('a'.repeat(64), 'g'.repeat(64)), /64 hex/],
    [GOOD.replace('/aws4_request', '/aws5_request'), /aws4_request/],
    [GOOD.replace('/20260101/', '/20261301/'), /date/],
    [GOOD.replace('/20260101/', '/2026011/'), /date/],
    [GOOD.replace('AKID/', '/'), /access key/],
    [GOOD.replace('/ap-guangzhou/', '/ap guangzhou/'), /region/],
    [GOOD.replace('/s3/', '/'), /expected/],
    [GOOD.replace('Credential=', 'Credential'), /unknown or malformed/],
  ];
  for (const [value, why] of bad)
    throwsCode(() => parseSigV4Authorization(value), 'AuthorizationHeaderMalformed', why);
});

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const KEY = { accessKeyId: 'AKIDCOSKIT', secretAccessKey: 'secret/with+chars=' };
const REGION = 'ap-guangzhou';

function signed(
  over: {
    headers?: Record<string, string>;
    payloadHash?: string;
    nowMs?: number;
    sessionToken?: string;
  } = {},
) {
  return signSigV4Request({
    ...KEY,
    sessionToken: over.sessionToken,
    region: REGION,
    method: 'PUT',
    pathname: '/bucket-1250000000/dir/a b+c.txt',
    query: { 'x-id': 'PutObject' },
    headers: { host: '127.0.0.1:9000', 'x-amz-meta-owner': 'me', ...over.headers },
    payloadHash: over.payloadHash,
    nowMs: over.nowMs ?? NOW,
  });
}

function request(headers: Record<string, string>): SigV4Request {
  return {
    method: 'PUT',
    rawPath: '/bucket-1250000000/dir/a%20b%2Bc.txt',
    query: [['x-id', 'PutObject']],
    headers: new Map(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), [v]])),
  };
}

const options = (over: Partial<Parameters<typeof verifySigV4Request>[1]> = {}) => ({
  nowMs: NOW,
  region: REGION,
  secretFor: (id: string) => (id === KEY.accessKeyId ? { secretAccessKey: KEY.secretAccessKey } : undefined),
  ...over,
});

test('header form: 15 minutes of clock skew either way, then RequestTimeTooSkewed', () => {
  const s = signed();
  for (const delta of [-900_000, 0, 900_000])
    verifySigV4Request(request(s.headers), options({ nowMs: NOW + delta }));
  for (const delta of [-901_000, 901_000]) {
    throwsCode(
      () => verifySigV4Request(request(s.headers), options({ nowMs: NOW + delta })),
      'RequestTimeTooSkewed',
    );
  }
});

test('every x-amz-* header must be signed; the path is accepted as encoded by strict or loose clients', () => {
  const s = signed();
  throwsCode(
    () => verifySigV4Request(request({ ...s.headers, 'x-amz-acl': 'public-read' }), options()),
    'AccessDenied',
    /not signed/,
  );
  try {
    verifySigV4Request(
      request({ ...s.headers, 'x-amz-acl': 'public-read', 'X-Amz-Tagging': 'a=b' }),
      options(),
    );
  } catch (e) {
    assert.equal((e as SigV4Error).details?.HeadersNotSigned, 'x-amz-acl, x-amz-tagging');
  }
  // Unsigned non-amz headers are fine (User-Agent, Accept…).
  verifySigV4Request(request({ ...s.headers, 'user-agent': 'anything', accept: '*/*' }), options());
  // A client that sent `+` literally in the path (and signed that) is accepted too.
  verifySigV4Request({ ...request(s.headers), rawPath: '/bucket-1250000000/dir/a%20b+c.txt' }, options());
});

test('the request must carry x-amz-content-sha256, a date, one Authorization, and not two auth forms', () => {
  const s = signed();
  const { 'x-amz-content-sha256': _h, ...noHash } = s.headers;
  throwsCode(() => verifySigV4Request(request(noHash), options()), 'InvalidRequest', /x-amz-content-sha256/);
  const { 'x-amz-date': _d, ...noDate } = s.headers;
  throwsCode(() => verifySigV4Request(request(noDate), options()), 'AccessDenied', /Date or x-amz-date/);
  const twice = request(s.headers);
  (twice.headers as Map<string, string[]>).set('authorization', [s.authorization, s.authorization]);
  throwsCode(() => verifySigV4Request(twice, options()), 'AuthorizationHeaderMalformed', /repeated/);
  const both = {
    ...request(s.headers),
    query: [...request(s.headers).query, ['X-Amz-Signature', 'x'] as const],
  };
  throwsCode(() => verifySigV4Request(both, options()), 'InvalidArgument', /one auth mechanism/);
  throwsCode(
    () => verifySigV4Request(request(s.headers), options({ service: 'sts' })),
    'AuthorizationHeaderMalformed',
    /service/,
  );
  throwsCode(
    () => verifySigV4Request(request(s.headers), options({ secretFor: () => undefined })),
    'InvalidAccessKeyId',
  );
  throwsCode(
    () => verifySigV4Request(request({ ...s.headers, 'x-amz-date': '20260101T120000' }), options()),
    'AccessDenied',
    /YYYYMMDD/,
  );
  // A day in the scope that is not the day of x-amz-date.
  const otherDay = { ...s.headers, authorization: s.authorization.replace('/20260101/', '/20260102/') };
  throwsCode(
    () => verifySigV4Request(request(otherDay), options()),
    'AuthorizationHeaderMalformed',
    /credential date/,
  );
});

test('temporary keys: x-amz-security-token is required, signed and must match', () => {
  const temporary = options({
    secretFor: () => ({ secretAccessKey: KEY.secretAccessKey, sessionToken: 'TOKEN/1+' }),
  });
  verifySigV4Request(request(signed({ sessionToken: 'TOKEN/1+' }).headers), temporary);
  throwsCode(() => verifySigV4Request(request(signed().headers), temporary), 'InvalidToken');
  throwsCode(
    () => verifySigV4Request(request(signed({ sessionToken: 'TOKEN/2+' }).headers), temporary),
    'InvalidToken',
  );
  throwsCode(
    () => verifySigV4Request(request(signed({ sessionToken: 'TOKEN/1+' }).headers), options()),
    'InvalidToken',
  );
});

test('x-amz-content-sha256 with the real hash: a changed body is XAmzContentSHA256Mismatch at the end', () => {
  const body = Buffer.from('hello, sigv4');
  const hash = createHash('sha256').update(body).digest('hex');
  const v = verifySigV4Request(request(signed({ payloadHash: hash }).headers), options());
  const ok = openPayload(v.payload, v.signing);
  assert.deepEqual(Buffer.concat([...ok.push(body.subarray(0, 5)), ...ok.push(body.subarray(5))]), body);
  ok.end();
  const bad = openPayload(v.payload, v.signing);
  bad.push(body.subarray(0, 11));
  throwsCode(() => bad.end(), 'XAmzContentSHA256Mismatch');
  throwsCode(() => readPayloadMode(hash.toUpperCase(), undefined, undefined), 'InvalidArgument');
  throwsCode(
    () => readPayloadMode('STREAMING-AWS4-HMAC-SHA256-EVENTS', undefined, undefined),
    'NotImplemented',
  );
  throwsCode(
    () => readPayloadMode('STREAMING-UNSIGNED-PAYLOAD-TRAILER', undefined, undefined),
    'MissingContentLength',
  );
  throwsCode(() => readPayloadMode('STREAMING-UNSIGNED-PAYLOAD-TRAILER', '-1', undefined), 'InvalidArgument');
  throwsCode(
    () => readPayloadMode('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', '5', 'x-amz-checksum-crc32'),
    'InvalidRequest',
  );
});

/** The body @aws-sdk/client-s3 sends by default: unsigned chunks, then a CRC32 trailer. */
function sdkStyleTrailerBody(payload: Buffer, chunk: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < payload.length; i += chunk) {
    const piece = payload.subarray(i, i + chunk);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n'));
  return Buffer.concat(parts);
}

test('STREAMING-UNSIGNED-PAYLOAD-TRAILER as the AWS SDKs send it decodes incrementally with its checksum trailer', () => {
  const payload = Buffer.alloc(200_000, 7);
  const s = signed({
    payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    headers: {
      'x-amz-decoded-content-length': String(payload.length),
      'x-amz-trailer': 'x-amz-checksum-crc32',
    },
  });
  const v = verifySigV4Request(request(s.headers), options());
  const body = sdkStyleTrailerBody(payload, 65_536);
  const ours = Buffer.concat(
    encodeAwsChunked(
      [0, 1, 2, 3].map((i) => payload.subarray(i * 65_536, (i + 1) * 65_536)),
      { trailers: [['x-amz-checksum-crc32', 'AAAAAA==']] },
    ),
  );
  assert.ok(ours.equals(body), 'our encoder frames the body as the SDK does');
  for (const step of [1, 3, 1000, body.length]) {
    const d = openPayload(v.payload, v.signing);
    const out: Uint8Array[] = [];
    for (let i = 0; i < body.length; i += step) out.push(...d.push(body.subarray(i, i + step)));
    assert.ok(Buffer.concat(out).equals(payload));
    assert.deepEqual([...d.end()], [['x-amz-checksum-crc32', 'AAAAAA==']]);
  }
});

test('malformed aws-chunked framing and oversize lines are refused with bounded memory', () => {
  const unsigned = (decodedLength: number, trailerNames: string[] = []) =>
    new AwsChunkedDecoder({
      trailer: trailerNames.length ? 'unsigned' : 'none',
      trailerNames,
      decodedLength,
    });
  const run = (d: AwsChunkedDecoder, text: string | Buffer) => {
    d.push(typeof text === 'string' ? Buffer.from(text) : text);
    return d.end();
  };
  throwsCode(() => run(unsigned(3), 'x\r\nabc\r\n0\r\n\r\n'), 'InvalidRequest', /chunk header/);
  throwsCode(() => run(unsigned(3), '3\nabc\r\n0\r\n\r\n'), 'InvalidRequest', /CRLF/);
  throwsCode(() => run(unsigned(3), '3\r\nabcX\r\n0\r\n\r\n'), 'InvalidRequest', /not followed by CRLF/);
  throwsCode(() => run(unsigned(3), '4\r\nabcd\r\n0\r\n\r\n'), 'IncompleteBody', /more than/);
  throwsCode(() => run(unsigned(4), '3\r\nabc\r\n0\r\n\r\n'), 'IncompleteBody', /says 4/);
  throwsCode(() => run(unsigned(3), '3\r\nabc\r\n'), 'IncompleteBody', /ended early/);
  throwsCode(
    () => run(unsigned(3), `${'0'.repeat(LIMITS.maxAwsChunkHeaderBytes + 10)}3\r\nabc`),
    'InvalidRequest',
    /exceeds/,
  );
  throwsCode(() => run(unsigned(3), 'fffffffffffffff\r\n'), 'IncompleteBody', /more than/);
  // A signed body must carry chunk signatures.
  const signing = signed({ payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }).signing;
  throwsCode(
    () =>
      run(
        new AwsChunkedDecoder({ signing, trailer: 'none', trailerNames: [], decodedLength: 3 }),
        '3\r\nabc\r\n0\r\n\r\n',
      ),
    'InvalidRequest',
    /chunk-signature/,
  );
  // Trailers: announced ones must arrive once, others may not, and the section is bounded.
  const trailer = (t: string) => run(unsigned(1, ['x-amz-checksum-crc32']), `1\r\na\r\n0\r\n${t}`);
  assert.equal(trailer('x-amz-checksum-crc32:abc\r\n\r\n').get('x-amz-checksum-crc32'), 'abc');
  throwsCode(() => trailer('\r\n'), 'MalformedTrailerError', /did not arrive/);
  throwsCode(
    () => trailer('x-amz-checksum-crc32:a\r\nx-amz-checksum-crc32:b\r\n\r\n'),
    'MalformedTrailerError',
    /repeated/,
  );
  throwsCode(() => trailer('x-amz-checksum-sha1:a\r\n\r\n'), 'MalformedTrailerError', /not announced/);
  throwsCode(() => trailer('no colon here\r\n\r\n'), 'MalformedTrailerError', /name:value/);
  throwsCode(
    () => trailer(`x-amz-trailer-signature:${'0'.repeat(64)}\r\n\r\n`),
    'MalformedTrailerError',
    /not signed/,
  );
  const many = Array.from({ length: 400 }, () => `x-amz-checksum-crc32:${'A'.repeat(60)}\r\n`).join('');
  throwsCode(() => trailer(many), 'MalformedTrailerError');
  const huge = `x-amz-checksum-crc32:${'A'.repeat(LIMITS.maxAwsChunkHeaderBytes)}\r\n\r\n`;
  throwsCode(() => trailer(huge), 'InvalidRequest', /exceeds/);
});

test('the browser (pure-JS) and Node SHA-256 / HMAC-SHA256 behind #sha256 agree', () => {
  const samples: (string | Uint8Array)[] = [
    '',
    'a',
    'é中😀',
    'x'.repeat(1000),
    new Uint8Array(300).map((_, i) => i),
  ];
  for (const s of samples) {
    assert.equal(webSha256.sha256Hex(s), nodeSha256.sha256Hex(s));
    assert.equal(nodeSha256.sha256Hex(s), createHash('sha256').update(s).digest('hex'));
    const key = typeof s === 'string' ? s : new Uint8Array(s);
    assert.deepEqual(webSha256.hmacSha256(key, 'msg'), new Uint8Array(nodeSha256.hmacSha256(key, 'msg')));
    assert.equal(
      webSha256.hmacSha256Hex('k', typeof s === 'string' ? s : 'bytes'),
      nodeSha256.hmacSha256Hex('k', typeof s === 'string' ? s : 'bytes'),
    );
    assert.equal(nodeSha256.hmacSha256Hex(key, 'm'), createHmac('sha256', key).update('m').digest('hex'));
    const web = webSha256.createSha256();
    const node = nodeSha256.createSha256();
    const bytes = typeof s === 'string' ? Buffer.from(s) : s;
    for (let i = 0; i < bytes.length; i += 7) {
      web.update(bytes.subarray(i, i + 7));
      node.update(bytes.subarray(i, i + 7));
    }
    assert.equal(web.digestHex(), node.digestHex());
  }
});
