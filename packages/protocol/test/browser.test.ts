/**
 * `@coskit/protocol` in a real browser: bundled for the browser platform (no Node built-ins may resolve),
 * loaded into headless Chromium, and made to sign, verify, hash and parse exactly as it does under Node.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type BrowserPage, bundleForBrowser, openPage } from '@coskit/test-support/browser';
import * as protocol from '../src/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
let bundle = '';
let browser: BrowserPage;

before(async () => {
  bundle = await bundleForBrowser(
    "import * as protocol from '@coskit/protocol'; Object.assign(globalThis, { protocol, ready: true });",
    here,
  );
  browser = await openPage(bundle);
});
after(() => browser?.close());

/** Runs `fn(protocol, arg)` in the page; `fn` must be self-contained (it is serialised). */
function inPage<A, R>(fn: (p: typeof protocol, arg: A) => R, arg: A): Promise<R> {
  const run = (source: string, a: unknown) =>
    new Function('p', 'a', `return (${source})(p, a);`)((globalThis as unknown as PageGlobals).protocol, a);
  return browser.page.evaluate(run, fn.toString(), arg as unknown) as Promise<R>;
}

interface PageGlobals {
  protocol: typeof protocol;
  ready: boolean;
}

/** Deterministic requests with unicode keys, odd query values and signed and unsigned headers. */
function requests(count: number): protocol.SignInput[] {
  let seed = 42;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pieces = ['a', 'é', '中文', '😀', ' ', '+', '%', '?', '#', '/', '=', '&', 'Z'];
  const word = () => Array.from({ length: 1 + next(6) }, () => pieces[next(pieces.length)]).join('');
  return Array.from({ length: count }, () => ({
    secretId: 'AKIDEXAMPLEEXAMPLEEXAMPLEEXAMPLE1234',
    secretKey: `SK${word()}`,
    method: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'][next(5)]!,
    pathname: `/${word()}/${word()}`,
    query: Object.fromEntries(Array.from({ length: next(4) }, () => [word(), next(2) ? word() : ''])),
    headers: {
      Host: 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com',
      'Content-Type': 'text/plain',
      'x-cos-meta-note': word(),
      'User-Agent': 'not-signed',
    },
    keyTime: `${1_700_000_000 + next(1000)};1700009999`,
  }));
}

test('the browser bundle carries the pure-JS SHA-1, not node:crypto', () => {
  assert.ok(bundle.length > 0);
  assert.ok(!bundle.includes('createHmac'), 'node:crypto code in the browser bundle');
  assert.ok(!/from\s*["']node:/.test(bundle), 'a node: import survived bundling');
});

test("signatures made in the browser equal Node's, and each side verifies the other's", async () => {
  const inputs = requests(120);
  const fromBrowser = await inPage((p, list) => list.map((i) => p.signRequest(i)), inputs);
  assert.deepEqual(
    fromBrowser,
    inputs.map((i) => protocol.signRequest(i)),
  );
  const verified = await inPage(
    (p, list) =>
      list.map(({ input, auth }) => {
        const fields = p.parseAuthorization(auth);
        if (!fields) return false;
        const headers = Object.fromEntries(
          Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
        );
        const check = p.verifySignature(fields, input.secretKey, {
          method: input.method,
          pathname: input.pathname,
          query: Object.entries(input.query ?? {}).map(([k, v]) => [k, String(v ?? '')] as const),
          header: (name: string) => headers[name],
        });
        return check.ok;
      }),
    inputs.map((input) => ({ input, auth: protocol.signRequest(input) })),
  );
  assert.deepEqual(
    verified,
    inputs.map(() => true),
  );
});

test('CRC-64 (WebAssembly), combine and UTF-8 lengths agree with Node', async () => {
  const size = 3 * 1024 * 1024 + 17;
  const make = (n: number) => {
    const bytes = new Uint8Array(n);
    let x = 2463534242;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = x & 0xff;
    }
    return bytes;
  };
  const data = make(size);
  const split = 1_000_003;
  const expected = {
    whole: protocol.crc64ToDecimal(protocol.crc64(data)),
    combined: protocol.crc64ToDecimal(
      protocol.crc64Combine(
        protocol.crc64(data.subarray(0, split)),
        protocol.crc64(data.subarray(split)),
        size - split,
      ),
    ),
    text: protocol.crc64ToDecimal(protocol.crc64('中文 key 😀')),
    lengths: ['', 'abc', 'é', '中文', '😀', '\ud83d'].map((s) => protocol.utf8ByteLength(s)),
  };
  assert.equal(expected.combined, expected.whole);
  const got = await inPage(
    (p, a) => {
      const bytes = new Uint8Array(a.size);
      let x = 2463534242;
      for (let i = 0; i < a.size; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 0xff;
      }
      return {
        whole: p.crc64ToDecimal(p.crc64(bytes)),
        combined: p.crc64ToDecimal(
          p.crc64Combine(
            p.crc64(bytes.subarray(0, a.split)),
            p.crc64(bytes.subarray(a.split)),
            a.size - a.split,
          ),
        ),
        text: p.crc64ToDecimal(p.crc64('中文 key 😀')),
        lengths: ['', 'abc', 'é', '中文', '😀', '\ud83d'].map((s) => p.utf8ByteLength(s)),
      };
    },
    { size, split },
  );
  assert.deepEqual(got, expected);
});

test('XML bodies build and parse the same in the browser, keys and ETags included', async () => {
  const model: protocol.CompleteMultipartUpload = {
    Part: [
      { PartNumber: 1, ETag: '"0cc175b9c0f1b6a831c399e269772661"' },
      { PartNumber: 2, ETag: '"92eb5ffee6ae2fec3ad71c777531578f"' },
    ],
  };
  const xml = protocol.buildCompleteMultipartUpload(model);
  const got = await inPage(
    (p, a) => {
      const built = p.buildCompleteMultipartUpload(a.model);
      return { built, parsed: p.parseCompleteMultipartUpload(new TextEncoder().encode(a.xml)) };
    },
    { model, xml },
  );
  assert.equal(got.built, xml);
  assert.deepEqual(got.parsed, protocol.parseCompleteMultipartUpload(xml));
});
