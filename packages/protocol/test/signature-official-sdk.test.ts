/**
 * Property test: for random requests, our signer produces exactly the Authorization of the
 * official `cos-nodejs-sdk-v5` (`COS.getAuthorization`), and our verifier accepts every official
 * signature and rejects any one-byte change to a signed part.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { isSignedHeader, type Pair, parseAuthorization, signRequest, verifySignature } from '../src/index.js';

const require = createRequire(import.meta.url);
const COS = require('cos-nodejs-sdk-v5') as {
  getAuthorization(opts: Record<string, unknown>): string;
};

const SECRET_ID = 'AKIDEXAMPLEEXAMPLEEXAMPLEEXAMPLE1234';
const SECRET_KEY = 'SKEXAMPLEEXAMPLEEXAMPLEEXAMPLE12';
const CASES = 600;
const SEED = Number(process.env['COSKIT_TEST_SEED'] ?? 20261123);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(SEED);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const KEY_ATOMS = [
  'a',
  'Z',
  '0',
  ' ',
  '+',
  '%',
  '%20',
  '?',
  '#',
  '/',
  '//',
  '///',
  '文件夹',
  '测试',
  '😀',
  '&',
  '=',
  ';',
  '.',
  '..',
  '~',
  "'",
  '(',
  '*',
  'é',
];
const randomString = (atoms: readonly string[], max: number) =>
  Array.from({ length: int(max) + 1 }, () => pick(atoms)).join('');
const PARAM_NAMES = [
  'uploads',
  'uploadId',
  'partNumber',
  'prefix',
  'delimiter',
  'max-keys',
  'encoding-type',
  'append',
  'position',
  'versionId',
  'response-content-type',
  'x_y.z',
  'Abc',
];
const HEADER_NAMES = [
  'Content-Type',
  'Content-Length',
  'Content-MD5',
  'Cache-Control',
  'Content-Disposition',
  'Expires',
  'Range',
  'If-Match',
  'x-cos-meta-author',
  'x-cos-storage-class',
  'x-cos-security-token',
  'x-ci-thing',
  'User-Agent',
  'Date',
  'Accept',
];
const VALUE_ATOMS = ['a', 'B', '1', ' ', '/', '+', '=', '%', ';', ',', '"', 'text/plain', 'é', '中'];

interface RandomRequest {
  method: string;
  key: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  keyTime: string;
}

function randomRequest(): RandomRequest {
  const query: Record<string, string> = {};
  for (let i = int(5); i > 0; i--)
    query[pick(PARAM_NAMES)] = int(4) === 0 ? '' : randomString(VALUE_ATOMS, 8);
  const headers: Record<string, string> = { Host: 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com' };
  for (let i = int(6); i > 0; i--) headers[pick(HEADER_NAMES)] = randomString(VALUE_ATOMS, 10);
  const start = 1_600_000_000 + int(200_000_000);
  let key = randomString(KEY_ATOMS, 12);
  if (key.startsWith('/')) key = `x${key}`; // a leading "/" is stripped by both SDKs before signing
  return {
    method: pick(['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS']),
    key,
    query,
    headers,
    keyTime: `${start};${start + 1 + int(100_000)}`,
  };
}

const cases = Array.from({ length: CASES }, randomRequest);

test(`signatures equal the official SDK's on ${CASES} random requests (seed ${SEED})`, () => {
  for (const c of cases) {
    const official = COS.getAuthorization({
      SecretId: SECRET_ID,
      SecretKey: SECRET_KEY,
      Method: c.method,
      Key: c.key,
      Query: c.query,
      Headers: c.headers,
      KeyTime: c.keyTime,
    });
    const ours = signRequest({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      method: c.method,
      pathname: `/${c.key}`,
      query: c.query,
      headers: c.headers,
      keyTime: c.keyTime,
    });
    assert.equal(ours, official, `mismatch for ${JSON.stringify(c)}`);
  }
});

function received(c: RandomRequest) {
  const lower = new Map(Object.entries(c.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: c.method,
    pathname: `/${c.key}`,
    query: Object.entries(c.query) as Pair[],
    header: (n: string) => lower.get(n),
  };
}

function flipOneChar(s: string): string {
  const i = int(s.length);
  const code = s.charCodeAt(i);
  return s.slice(0, i) + String.fromCharCode(code === 0x61 ? 0x62 : 0x61) + s.slice(i + 1);
}

test(`verifier accepts every official signature and rejects one-byte changes (${CASES} cases)`, () => {
  let rejected = 0;
  for (const c of cases) {
    const auth = parseAuthorization(
      COS.getAuthorization({
        SecretId: SECRET_ID,
        SecretKey: SECRET_KEY,
        Method: c.method,
        Key: c.key,
        Query: c.query,
        Headers: c.headers,
        KeyTime: c.keyTime,
      }),
    );
    assert.ok(auth, 'official Authorization parses');
    assert.deepEqual(verifySignature(auth, SECRET_KEY, received(c)), { ok: true }, JSON.stringify(c));

    const signedHeaders = Object.keys(c.headers).filter(isSignedHeader);
    const queryNames = Object.keys(c.query);
    const variants: RandomRequest[] = [
      { ...c, key: flipOneChar(c.key) },
      { ...c, method: c.method === 'GET' ? 'PUT' : 'GET' },
    ];
    const h = pick(signedHeaders);
    variants.push({ ...c, headers: { ...c.headers, [h]: flipOneChar(c.headers[h]! || 'x') } });
    if (queryNames.length > 0) {
      const q = pick(queryNames);
      variants.push({ ...c, query: { ...c.query, [q]: flipOneChar(c.query[q]! || 'x') } });
    }
    for (const v of variants) {
      assert.equal(
        verifySignature(auth, SECRET_KEY, received(v)).ok,
        false,
        `accepted a changed request ${JSON.stringify(v)}`,
      );
      rejected++;
    }
    const badSig = { ...auth, signature: flipOneChar(auth.signature) };
    assert.equal(verifySignature(badSig, SECRET_KEY, received(c)).ok, false);
    assert.equal(verifySignature(auth, `${SECRET_KEY}x`, received(c)).ok, false);
    rejected += 2;
  }
  assert.ok(rejected >= CASES * 4);
});
