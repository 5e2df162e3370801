import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  canonicalize,
  checkSignTime,
  httpString,
  parseAuthorization,
  presignQuery,
  signKey,
  signRequest,
  verifySignature,
} from '../src/index.js';

// ../shared/cos-protocol.md §2.6: produced by both official SDKs, bit for bit.
const SECRET_ID = 'AKIDEXAMPLEEXAMPLEEXAMPLEEXAMPLE1234';
const SECRET_KEY = 'SKEXAMPLEEXAMPLEEXAMPLEEXAMPLE12';
const KEY_TIME = '1700000000;1700003600';
const HOST = 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com';
const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');

test('SignKey of the shared key time', () => {
  assert.equal(signKey(SECRET_KEY, KEY_TIME), '5d7ed344c83d4a24bfaf0025c62aaf0e1620caf0');
});

test('V1 PUT Object', () => {
  const headers = {
    Host: HOST,
    'Content-Type': 'text/plain',
    'Content-Length': '13',
    'x-cos-meta-author': 'Alice Bob',
    'User-Agent': 'not-signed',
  };
  const http = httpString(
    'PUT',
    '/exampleobject.txt',
    canonicalize([]),
    canonicalize(Object.entries(headers).filter(([n]) => n !== 'User-Agent')),
  );
  assert.equal(
    http,
    'put\n/exampleobject.txt\n\ncontent-length=13&content-type=text%2Fplain&host=examplebucket-1250000000.cos.ap-beijing.myqcloud.com&x-cos-meta-author=Alice%20Bob\n',
  );
  assert.equal(sha1(http), '89528a45d397618a8975addfd3c2202ba0d28262');
  assert.equal(
    signRequest({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      method: 'PUT',
      pathname: '/exampleobject.txt',
      headers,
      keyTime: KEY_TIME,
    }),
    'q-sign-algorithm=sha1&q-ak=AKIDEXAMPLEEXAMPLEEXAMPLEEXAMPLE1234&q-sign-time=1700000000;1700003600&q-key-time=1700000000;1700003600&q-header-list=content-length;content-type;host;x-cos-meta-author&q-url-param-list=&q-signature=6be67d21266ad476b04c7732a1de8fd15200257d',
  );
});

test('V2 Upload Part with a non-ASCII key', () => {
  const auth = signRequest({
    secretId: SECRET_ID,
    secretKey: SECRET_KEY,
    method: 'PUT',
    pathname: '/文件夹/a b+c.txt',
    query: { partNumber: 1, uploadId: '1700000000abcdef0123456789' },
    headers: { Host: HOST, 'Content-Length': '1048576', 'Content-MD5': 'XrY7u+Ae7tCTyyK7j1rNww==' },
    keyTime: KEY_TIME,
  });
  assert.equal(
    auth,
    'q-sign-algorithm=sha1&q-ak=AKIDEXAMPLEEXAMPLEEXAMPLEEXAMPLE1234&q-sign-time=1700000000;1700003600&q-key-time=1700000000;1700003600&q-header-list=content-length;content-md5;host&q-url-param-list=partnumber;uploadid&q-signature=d2f84e7b0321bd32062b499e0c5d0b1d312477fa',
  );
});

test('V3 List Multipart Uploads with a signed token', () => {
  const auth = signRequest({
    secretId: SECRET_ID,
    secretKey: SECRET_KEY,
    method: 'GET',
    pathname: '/',
    query: { uploads: '', prefix: 'dir/file name.bin', 'max-uploads': 1000 },
    headers: { Host: HOST, 'x-cos-security-token': 'TOKEN/with+special=chars' },
    keyTime: KEY_TIME,
  });
  assert.equal(
    auth,
    'q-sign-algorithm=sha1&q-ak=AKIDEXAMPLEEXAMPLEEXAMPLEEXAMPLE1234&q-sign-time=1700000000;1700003600&q-key-time=1700000000;1700003600&q-header-list=host;x-cos-security-token&q-url-param-list=max-uploads;prefix;uploads&q-signature=9675a0d7882f0ac44b137eb24daf48f7781f9f13',
  );
});

test('V4 pre-signed GET URL, with and without a signed response-content-type', () => {
  const base = {
    secretId: SECRET_ID,
    secretKey: SECRET_KEY,
    method: 'GET',
    pathname: '/a b/测试.txt',
    headers: { host: HOST },
    keyTime: '1700000000;1700000900',
  };
  assert.equal(signKey(SECRET_KEY, base.keyTime), '29ed5f158fc8c0a24651286120b175fa76ff1b96');
  assert.equal(
    presignQuery({ ...base, token: 'TOKEN123' }),
    'q-sign-algorithm=sha1&q-ak=AKIDEXAMPLEEXAMPLEEXAMPLEEXAMPLE1234&q-sign-time=1700000000;1700000900&q-key-time=1700000000;1700000900&q-header-list=host&q-url-param-list=&q-signature=408dd33ef0463910e62b55450ed2aacd262bd5c9&x-cos-security-token=TOKEN123',
  );
  const withParam = parseAuthorization(
    signRequest({ ...base, query: { 'response-content-type': 'text/plain' } }),
  );
  assert.equal(withParam?.signature, '9994c5a88c989e2387420dc1c1adb8f64074fe09');
  assert.equal(withParam?.urlParamList, 'response-content-type');
});

test('verifier accepts V2 as received and rejects a changed byte', () => {
  const auth = parseAuthorization(
    'q-sign-algorithm=sha1&q-ak=AKIDEXAMPLEEXAMPLEEXAMPLEEXAMPLE1234&q-sign-time=1700000000;1700003600&q-key-time=1700000000;1700003600&q-header-list=content-length;content-md5;host&q-url-param-list=partnumber;uploadid&q-signature=d2f84e7b0321bd32062b499e0c5d0b1d312477fa',
  );
  assert.ok(auth);
  const headers: Record<string, string> = {
    host: HOST,
    'content-length': '1048576',
    'content-md5': 'XrY7u+Ae7tCTyyK7j1rNww==',
    'user-agent': 'anything',
  };
  const req = {
    method: 'PUT',
    pathname: '/文件夹/a b+c.txt',
    query: [
      ['partNumber', '1'],
      ['uploadId', '1700000000abcdef0123456789'],
    ] as const,
    header: (n: string) => headers[n],
  };
  assert.deepEqual(verifySignature(auth, SECRET_KEY, req), { ok: true });
  const tampered = verifySignature(auth, SECRET_KEY, { ...req, query: [['partNumber', '2'], req.query[1]] });
  assert.equal(tampered.ok, false);
  assert.ok(!tampered.ok && tampered.formatString.includes('partnumber=2'));
  assert.equal(checkSignTime(auth, 1700000500), 'ok');
  assert.equal(checkSignTime(auth, 1700003601), 'expired');
  assert.equal(checkSignTime(auth, 1699990000), 'not-yet-valid');
});
