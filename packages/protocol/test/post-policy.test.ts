/** The POST Object policy: COS's documented signing example, the builder, decoding and every condition kind. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildPostPolicy,
  checkPostPolicy,
  contentLengthRangeOf,
  decodePostPolicy,
  postPolicySignature,
  sha1Hex,
  signKey,
} from '../src/index.js';

test("COS doc 14690's example: SignKey, StringToSign and Signature of its policy", () => {
  // The "签名保护实际案例" of the POST Object page, byte for byte.
  const policy =
    'ewogICAgImV4cGlyYXRpb24iOiAiMjAxOS0wOC0zMFQwOTozODoxMi40MTRaIiwKICAgICJjb25kaXRpb25zIjogWwogICAgICAgIHsgImFjbCI6ICJkZWZhdWx0IiB9LAogICAgICAgIHsgImJ1Y2tldCI6ICJleGFtcGxlYnVja2V0LTEyNTAwMDAwMDAiIH0sCiAgICAgICAgWyAic3RhcnRzLXdpdGgiLCAiJGtleSIsICJmb2xkZXIvc3ViZm9sZGVyLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkQ29udGVudC1UeXBlIiwgImltYWdlLyIgXSwKICAgICAgICBbICJzdGFydHMtd2l0aCIsICIkc3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiLCAiaHR0cHM6Ly9teS53ZWJzaXRlLyIgXSwKICAgICAgICBbICJlcSIsICIkeC1jb3Mtc2VydmVyLXNpZGUtZW5jcnlwdGlvbiIsICJBRVMyNTYiIF0sCiAgICAgICAgeyAicS1zaWduLWFsZ29yaXRobSI6ICJzaGExIiB9LAogICAgICAgIHsgInEtYWsiOiAiQUtJRFFqejNsdG9tcFZqQm5pNUxpdGtXSEZsRnB3a245VTVxIiB9LAogICAgICAgIHsgInEtc2lnbi10aW1lIjogIjE1NjcxNTA2OTI7MTU2NzE1Nzg5MiIgfQogICAgXQp9';
  const keyTime = '1567150692;1567157892';
  const secretKey = 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz';
  const decoded = decodePostPolicy(policy);
  assert.ok(!('code' in decoded), JSON.stringify(decoded));
  assert.equal(signKey(secretKey, keyTime), '39acc8c9f34ba5b19bce4e965b370cd3f62d2fba');
  assert.equal(sha1Hex(decoded.text), 'd5d903b8360468bc81c1311f134989bc8c8b5b89');
  assert.equal(
    postPolicySignature(decoded.text, secretKey, keyTime),
    '7758dc9a832e9d301dca704cacbf9d9f8172fdef',
  );
  assert.equal(decoded.policy.conditions.length, 9);

  const form: Record<string, string> = {
    acl: 'default',
    bucket: 'examplebucket-1250000000',
    key: 'folder/subfolder/photo.jpg',
    'content-type': 'image/jpeg',
    success_action_redirect: 'https://my.website/ok.html',
    'x-cos-server-side-encryption': 'AES256',
    'q-sign-algorithm': 'sha1',
    'q-ak': 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q',
    'q-key-time': keyTime,
  };
  const at = Date.parse('2019-08-30T09:00:00Z');
  assert.equal(
    checkPostPolicy(decoded.policy, (n) => form[n], at),
    undefined,
  );
  assert.match(
    checkPostPolicy(decoded.policy, (n) => form[n], Date.parse('2019-08-30T10:00:00Z'))?.message ?? '',
    /Policy expired/,
  );
  const changed: Record<string, string> = { ...form, 'content-type': 'text/html' };
  assert.match(
    checkPostPolicy(decoded.policy, (n) => changed[n], at)?.message ?? '',
    /Policy Condition failed: \["starts-with","\$Content-Type","image\/"\]/,
  );
});

test('buildPostPolicy binds bucket, key, fields, size and the q-sign fields; the server side accepts exactly that', () => {
  const now = 1_700_000_000_000;
  const built = buildPostPolicy({
    secretId: 'AKIDEXAMPLE',
    secretKey: 'secret',
    bucket: 'examplebucket-1250000000',
    key: 'uploads/${filename}',
    fields: { 'Content-Type': 'image/png', success_action_status: '201' },
    contentLengthRange: [1, 1024],
    expires: 600,
    now: () => now,
  });
  assert.deepEqual(Object.keys(built.fields), [
    'Content-Type',
    'success_action_status',
    'key',
    'policy',
    'q-sign-algorithm',
    'q-ak',
    'q-key-time',
    'q-signature',
  ]);
  assert.equal(built.fields['q-key-time'], '1700000000;1700000600');
  assert.equal(built.policy.expiration, '2023-11-14T22:23:20.000Z');
  const decoded = decodePostPolicy(built.fields['policy']!);
  assert.ok(!('code' in decoded));
  assert.deepEqual(decoded.policy, built.policy);
  assert.equal(
    postPolicySignature(decoded.text, 'secret', built.fields['q-key-time']!),
    built.fields['q-signature'],
  );
  assert.deepEqual(contentLengthRangeOf(decoded.policy), { min: 1, max: 1024 });
  const lower = new Map(Object.entries(built.fields).map(([k, v]) => [k.toLowerCase(), v]));
  const field = (n: string) =>
    n === 'bucket' ? 'examplebucket-1250000000' : n === 'key' ? 'uploads/cat.png' : lower.get(n);
  assert.equal(checkPostPolicy(decoded.policy, field, now + 1000), undefined);
  const elsewhere = (n: string) => (n === 'key' ? 'private/cat.png' : field(n));
  assert.equal(checkPostPolicy(decoded.policy, elsewhere, now + 1000)?.code, 'AccessDenied');
  assert.throws(
    () => buildPostPolicy({ secretId: 'a', secretKey: 'b', bucket: 'b-1250000000' }),
    /key or keyPrefix/,
  );
  assert.throws(
    () =>
      buildPostPolicy({
        secretId: 'a',
        secretKey: 'b',
        bucket: 'b-1',
        keyPrefix: '',
        contentLengthRange: [5, 1],
      }),
    /contentLengthRange/,
  );
});

test('decodePostPolicy refuses what is not a policy document, naming the problem', () => {
  const b64 = (s: string) => btoa(s);
  const cases: [string, RegExp][] = [
    ['%%%', /not base64/],
    [btoa('\xff\xfe'), /not base64 of UTF-8/],
    [b64('not json'), /not JSON/],
    [b64('[]'), /not a JSON object/],
    [b64('{"conditions":[]}'), /expiration/],
    [b64('{"expiration":"soon","conditions":[]}'), /expiration/],
    [b64('{"expiration":"2030-01-01T00:00:00Z"}'), /conditions/],
    [b64('{"expiration":"2030-01-01T00:00:00Z","conditions":[["gt","$key","a"]]}'), /unknown operator/],
    [b64('{"expiration":"2030-01-01T00:00:00Z","conditions":[["eq","key","a"]]}'), /\$name/],
    [b64('{"expiration":"2030-01-01T00:00:00Z","conditions":[["content-length-range",9,1]]}'), /min ≤ max/],
    [b64('{"expiration":"2030-01-01T00:00:00Z","conditions":[{"a":"1","b":"2"}]}'), /exactly one field/],
  ];
  for (const [policy, message] of cases) {
    const r = decodePostPolicy(policy);
    assert.ok('code' in r, policy);
    assert.equal(r.code, 'InvalidPolicyDocument');
    assert.match(r.message, message, policy);
  }
});
