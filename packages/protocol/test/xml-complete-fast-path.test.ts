/**
 * The Complete body's fast path (`parseCanonicalComplete`) against the general reader
 * (`parseCompleteMultipartUploadTree`): every body the fast path accepts must read exactly as the
 * general reader reads it, and everything else must be left to it (same result, same error). The
 * SDKs' own shapes must take the fast path, or it buys nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCompleteMultipartUpload, parseCompleteMultipartUpload } from '../src/index.js';
import { parseCanonicalComplete, parseCompleteMultipartUploadTree } from '../src/xml/complete.js';

type Outcome = { ok: true; value: unknown } | { ok: false; message: string };

function outcome(read: () => unknown): Outcome {
  try {
    return { ok: true, value: read() };
  } catch (e) {
    return { ok: false, message: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

/** Asserts the fast path and the general reader agree on `body`; true when the fast path took it. */
function agree(body: string | Uint8Array): boolean {
  const tree = outcome(() => parseCompleteMultipartUploadTree(body));
  const fast = parseCanonicalComplete(body);
  if (fast !== undefined) {
    assert.deepEqual(
      tree,
      { ok: true, value: fast },
      `fast path read differs for ${String(body).slice(0, 300)}`,
    );
  }
  assert.deepEqual(
    outcome(() => parseCompleteMultipartUpload(body)),
    tree,
  );
  return fast !== undefined;
}

const hex = (n: number) => n.toString(16).padStart(32, '0');

test('the SDKs’ Complete bodies take the fast path and read as the general reader reads them', () => {
  const parts = Array.from({ length: 50 }, (_, i) => ({ PartNumber: i + 1, ETag: `"${hex(i * 7919)}"` }));
  const partXml = (q: string, sep = '') =>
    parts
      .map(
        (p) =>
          `${sep}<Part>${sep}<PartNumber>${p.PartNumber}</PartNumber>${sep}<ETag>${q}${p.ETag.slice(1, -1)}${q}</ETag>${sep}</Part>`,
      )
      .join('');
  const bodies = {
    // cos-nodejs-sdk-v5 / coskit: no declaration, &quot; quotes.
    node: buildCompleteMultipartUpload({ Part: parts }),
    // cos-python-sdk-v5 (xmltodict.unparse): a declaration with encoding, raw quotes.
    python: `<?xml version="1.0" encoding="utf-8"?>\n<CompleteMultipartUpload>${partXml('"')}</CompleteMultipartUpload>`,
    // AWS SDKs: the S3 namespace.
    aws: `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${partXml('&quot;')}</CompleteMultipartUpload>`,
    // Pretty-printed, CRLF, unquoted ETags (coscmd-like), a BOM.
    pretty: `\uFEFF<CompleteMultipartUpload>\r\n${partXml('', '\r\n  ')}\r\n</CompleteMultipartUpload>\r\n`,
  };
  for (const [name, body] of Object.entries(bodies)) {
    assert.ok(agree(body), `${name}: the fast path declined it`);
    assert.ok(agree(new TextEncoder().encode(body)), `${name} as bytes: the fast path declined it`);
    assert.deepEqual(parseCompleteMultipartUpload(body), { Part: parts }, name);
  }
});

test('2,000 generated bodies, odd ones included: the fast path never reads one differently', () => {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const any = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  // Each list starts with the canonical choices (the first `canonical` entries): a body of only
  // canonical choices takes the fast path, and each odd one is chosen 5 % of the time.
  const pick = <T>(xs: readonly T[], canonical = 1): T =>
    random() < 0.95 ? xs[Math.floor(random() * canonical)]! : any(xs);
  const spaces = ['', ' ', '\n', '\r\n\t', '\f', '\u00a0'];
  const heads = [
    '',
    '<?xml version="1.0"?>',
    "<?xml version='1.0' encoding='UTF-8'?>",
    '<?xml version="1.0" standalone="yes"?>',
    '<?xml?>',
    '<?xml version=1.0?>',
    '<?xml-stylesheet href="a"?>',
    '<!-- c -->',
    '<!DOCTYPE x>',
    ' <?xml version="1.0"?>',
  ];
  const roots = [
    '<CompleteMultipartUpload>',
    '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    "<CompleteMultipartUpload xmlns='x'>",
    '<s3:CompleteMultipartUpload xmlns:s3="x">',
    '<CompleteMultipartUpload a="b">',
    '<CompleteMultipartUploads>',
  ];
  const numbers = [
    '1',
    '2',
    '17',
    '10000',
    '0',
    '007',
    ' 3 ',
    '+4',
    '-1',
    '1e3',
    '',
    '99999999999999999999',
    '12&#51;',
  ];
  const etags = [
    `"${hex(1)}"`,
    `&quot;${hex(2)}&quot;`,
    hex(3),
    `"${hex(4)}-2"`,
    '""',
    '"',
    '',
    ` "${hex(5)}" `,
    `<![CDATA["${hex(6)}"]]>`,
    `"${hex(7)}&amp;"`,
    `&#34;${hex(8)}&#34;`,
    `"a b"`,
    `"é"`,
    '&bogus;',
  ];
  const extras = [
    '',
    '',
    '',
    '',
    '<ChecksumCRC32>AAAAAA==</ChecksumCRC32>',
    '<Other/>',
    '<!-- c -->',
    '<PartNumber>2</PartNumber>',
  ];
  const part = () => {
    const n = `<PartNumber>${pick(numbers, 4)}</PartNumber>`;
    const e = `<ETag>${pick(etags, 4)}</ETag>`;
    const inner = random() < 0.1 ? [e, n] : [n, e];
    return `${pick(spaces, 4)}<Part>${pick(spaces, 4)}${inner.join(pick(spaces, 4))}${pick(extras)}${pick(spaces, 4)}</Part>`;
  };
  const tails = [
    '</CompleteMultipartUpload>',
    '</CompleteMultipartUpload>',
    '',
    '</CompleteMultipartUpload>x',
    '</s3:CompleteMultipartUpload>',
  ];
  let fast = 0;
  for (let i = 0; i < 2000; i++) {
    const count = any([0, 1, 1, 2, 3, 5]);
    const body =
      pick(spaces, 4) +
      pick(heads, 4) +
      pick(spaces, 4) +
      pick(roots, 3) +
      Array.from({ length: count }, part).join('') +
      pick(spaces, 4) +
      pick(tails) +
      pick(spaces, 4);
    if (agree(body)) fast++;
  }
  // The generator must reach the fast path often, and the general reader often too.
  assert.ok(fast > 100 && fast < 1900, `fast path took ${fast} of 2000`);
});

test('more parts than COS allows, invalid UTF-8 and an empty list are the general reader’s to refuse', () => {
  const tooMany = buildCompleteMultipartUpload({
    Part: Array.from({ length: 10_001 }, (_, i) => ({ PartNumber: i + 1, ETag: hex(i) })),
  });
  assert.equal(parseCanonicalComplete(tooMany), undefined);
  assert.throws(() => parseCompleteMultipartUpload(tooMany), /more than 10000/);
  const bad = Buffer.concat([
    Buffer.from('<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"'),
    Buffer.from([0xff]),
    Buffer.from('"</ETag></Part></CompleteMultipartUpload>'),
  ]);
  assert.equal(parseCanonicalComplete(bad), undefined);
  assert.throws(() => parseCompleteMultipartUpload(bad), { name: 'XmlCodecError' });
  assert.equal(parseCanonicalComplete('<CompleteMultipartUpload></CompleteMultipartUpload>'), undefined);
  assert.throws(
    () => parseCompleteMultipartUpload('<CompleteMultipartUpload></CompleteMultipartUpload>'),
    /no <Part>/,
  );
  assert.equal(
    parseCompleteMultipartUpload(buildCompleteMultipartUpload({ Part: [{ PartNumber: 10000, ETag: 'x' }] }))
      .Part.length,
    1,
  );
});
