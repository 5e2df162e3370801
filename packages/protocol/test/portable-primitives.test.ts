import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import { constantTimeEqual, sha1Hex, signature, signKey, utf8ByteLength } from '../src/index.js';
import * as nodeSha1 from '../src/signature/sha1-node.js';
import * as webSha1 from '../src/signature/sha1-web.js';

/** Deterministic strings mixing ASCII, 2- and 3-byte characters, surrogate pairs and lone surrogates. */
function* samples(): Generator<string> {
  yield '';
  yield 'a';
  yield 'é';
  yield '中文';
  yield '😀';
  yield '\ud83d'; // lone high surrogate
  yield '\ude00x'; // lone low surrogate
  yield '\ud83d\ud83d\ude00'; // lone high, then a pair
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  const ranges = [
    [0x20, 0x7f],
    [0x80, 0x800],
    [0x800, 0xd800],
    [0xd800, 0xe000],
    [0xe000, 0x10000],
  ];
  for (let n = 0; n < 500; n++) {
    let s = '';
    const len = next() % 40;
    for (let i = 0; i < len; i++) {
      const [lo, hi] = ranges[next() % ranges.length]!;
      s += String.fromCharCode(lo! + (next() % (hi! - lo!)));
    }
    yield s;
  }
}

test('utf8ByteLength equals the length of the UTF-8 encoding, lone surrogates as U+FFFD', () => {
  for (const s of samples()) assert.equal(utf8ByteLength(s), Buffer.byteLength(s, 'utf8'), JSON.stringify(s));
});

test('the browser (pure-JS) and Node SHA-1 / HMAC-SHA1 behind #sha1 agree on every sample', () => {
  for (const s of samples()) {
    assert.equal(webSha1.sha1Hex(s), nodeSha1.sha1Hex(s), JSON.stringify(s));
    assert.equal(webSha1.hmacSha1Hex(s, 'msg'), nodeSha1.hmacSha1Hex(s, 'msg'));
    assert.equal(webSha1.hmacSha1Hex('key', s), nodeSha1.hmacSha1Hex('key', s));
  }
});

test('the signer under Node computes with node:crypto', () => {
  for (const s of samples()) {
    assert.equal(sha1Hex(s), createHash('sha1').update(s, 'utf8').digest('hex'));
    assert.equal(
      signKey(s, '1700000000;1700003600'),
      createHmac('sha1', s).update('1700000000;1700003600').digest('hex'),
    );
    assert.equal(signature('k', s), createHmac('sha1', 'k').update(s, 'utf8').digest('hex'));
  }
});

test('constantTimeEqual is plain equality', () => {
  assert.equal(constantTimeEqual('abc', 'abc'), true);
  assert.equal(constantTimeEqual('abc', 'abd'), false);
  assert.equal(constantTimeEqual('abc', 'ab'), false);
  assert.equal(constantTimeEqual('', ''), true);
});
