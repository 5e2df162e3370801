import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { createCRC64 } from 'hash-wasm';
import { CRC64_WASM_BASE64 } from '../src/crc64/crc64-wasm.generated.js';
import {
  Crc64,
  crc64,
  crc64Combine,
  crc64ToDecimal,
  crc64Update,
  parseCrc64Decimal,
} from '../src/crc64/index.js';

// ---- Independent references, deliberately naive (BigInt, no shared code with the implementation) ----

const POLY = 0xc96c5795d7870f42n; // reflected 0x42F0E1EBA9EA3693
const MASK = 0xffff_ffff_ffff_ffffn;

/** Bit-at-a-time CRC-64/XZ. */
function bitwiseCrc64(data: Uint8Array): bigint {
  let reg = MASK;
  for (const byte of data) {
    reg ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) reg = reg & 1n ? (reg >> 1n) ^ POLY : reg >> 1n;
  }
  return reg ^ MASK;
}

const TABLE = Array.from({ length: 256 }, (_, i) => {
  let reg = BigInt(i);
  for (let bit = 0; bit < 8; bit++) reg = reg & 1n ? (reg >> 1n) ^ POLY : reg >> 1n;
  return reg;
});

/** Byte-at-a-time CRC-64/XZ continuing from a finished CRC value. */
function tableCrc64(data: Uint8Array, previous = 0n): bigint {
  let reg = previous ^ MASK;
  for (const byte of data) reg = TABLE[(Number(reg & 0xffn) ^ byte) & 0xff]! ^ (reg >> 8n);
  return reg ^ MASK;
}

/** a * b mod P on reflected polynomials (bit 63 = x^0): zlib 1.2.12's multmodp, widened. */
function multModP(a: bigint, b: bigint): bigint {
  let product = 0n;
  for (let m = 1n << 63n; m !== 0n; m >>= 1n) {
    if (a & m) product ^= b;
    b = b & 1n ? (b >> 1n) ^ POLY : b >> 1n;
  }
  return product;
}

/** x^(8n) mod P by square-and-multiply: a second, non-matrix way to shift a CRC over n zero bytes. */
function zeroBytesShift(crc: bigint, n: bigint): bigint {
  let power = 1n << 55n; // x^8
  let result = 1n << 63n; // x^0
  for (; n !== 0n; n >>= 1n, power = multModP(power, power)) {
    if (n & 1n) result = multModP(result, power);
  }
  return multModP(result, crc);
}

const utf8 = (text: string) => new TextEncoder().encode(text);

async function hashWasmCrc64(data: Uint8Array): Promise<bigint> {
  const hasher = await createCRC64();
  hasher.init();
  hasher.update(data);
  return BigInt(`0x${hasher.digest('hex')}`);
}

function randomU64(): bigint {
  return randomBytes(8).readBigUInt64LE();
}

// The kernel's input window is 256 KiB; superblocks are 2 KiB, blocks 16 bytes.
const LENGTHS = [
  0,
  1,
  2,
  7,
  8,
  15,
  16,
  17,
  31,
  33,
  255,
  1023,
  1024,
  1025,
  2047,
  2048,
  2049,
  2063,
  4096,
  4111,
  16384,
  65536,
  65537,
  262143,
  262144,
  262145,
  524288 + 999,
];

describe('crc64 test vectors', () => {
  const vectors: [string, bigint][] = [
    ['', 0n],
    ['a', 3675645893302102789n],
    ['123456789', 11051210869376104954n],
    ['hello world', 5981764153023615706n],
    ['The quick brown fox jumps over the lazy dog', 6583902852472283588n],
    ['1234', 14865968487149912872n],
    ['56789', 7598038797645275211n],
  ];

  for (const [text, expected] of vectors) {
    it(`${JSON.stringify(text)} -> ${expected}`, () => {
      assert.equal(crc64(text), expected);
      assert.equal(crc64(utf8(text)), expected);
      assert.equal(new Crc64().update(text).digest(), expected);
      assert.equal(bitwiseCrc64(utf8(text)), expected, 'reference implementation');
    });
  }

  it('hex forms of two vectors', () => {
    assert.equal(crc64('a'), 0x330284772e652b05n);
    assert.equal(crc64('123456789'), 0x995dc9bbdf1939fan);
  });

  it('combine of "1234" and "56789"', () => {
    assert.equal(crc64Combine(crc64('1234'), crc64('56789'), 5), 11051210869376104954n);
    assert.equal(crc64Combine(14865968487149912872n, 7598038797645275211n, 5n), 11051210869376104954n);
  });
});

describe('crc64 against references', () => {
  it('random buffers of edge lengths equal the BigInt table reference and hash-wasm', async () => {
    for (const length of LENGTHS) {
      const data = randomBytes(length);
      const ours = crc64(data);
      assert.equal(ours, tableCrc64(data), `table reference, length ${length}`);
      assert.equal(ours, await hashWasmCrc64(data), `hash-wasm, length ${length}`);
    }
  });

  it('a 5 MiB + 3 buffer (many windows) equals both references', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 3);
    const ours = crc64(data);
    assert.equal(ours, await hashWasmCrc64(data));
    assert.equal(ours, tableCrc64(data));
  });

  it('views into larger buffers hash only the viewed bytes', () => {
    const backing = randomBytes(10_000);
    for (const [start, end] of [
      [1, 9],
      [3, 5003],
      [7, 9999],
    ] as const) {
      const view = new Uint8Array(backing.buffer, backing.byteOffset + start, end - start);
      assert.equal(crc64(view), tableCrc64(backing.subarray(start, end)));
    }
  });

  it('non-ASCII strings are hashed as UTF-8, including ones longer than the window', () => {
    for (const text of [
      'héllo wörld',
      '日本語テキスト',
      '🎉 emoji 🎉',
      'ü'.repeat(200_000),
      'x'.repeat(300_000),
    ]) {
      assert.equal(crc64(text), tableCrc64(utf8(text)), text.slice(0, 20));
      const hash = new Crc64().update(text);
      assert.equal(hash.length, utf8(text).length);
    }
  });
});

describe('Crc64 incremental hashing', () => {
  it('two updates split at every offset equal the one-shot value', () => {
    for (const length of [300, 4099]) {
      const data = randomBytes(length);
      const expected = crc64(data);
      for (let split = 0; split <= length; split++) {
        const hash = new Crc64().update(data.subarray(0, split)).update(data.subarray(split));
        assert.equal(hash.digest(), expected, `length ${length}, split at ${split}`);
        assert.equal(hash.length, length);
      }
    }
  });

  it('many uneven chunks (stream-like) equal the one-shot value', () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const hash = new Crc64();
    for (
      let offset = 0, step = 1;
      offset < data.length;
      offset += step, step = 1 + ((step * 7 + 13) % 100_003)
    ) {
      hash.update(data.subarray(offset, offset + step));
    }
    assert.equal(hash.digest(), crc64(data));
  });

  it('digest does not reset; updating continues; reset starts over', () => {
    const hash = new Crc64();
    assert.equal(hash.digest(), 0n);
    assert.equal(hash.length, 0);
    hash.update('1234');
    assert.equal(hash.digest(), 14865968487149912872n);
    assert.equal(hash.digest(), 14865968487149912872n);
    hash.update(utf8('56789'));
    assert.equal(hash.digestDecimal(), '11051210869376104954');
    assert.equal(hash.length, 9);
    assert.equal(hash.reset(), hash);
    assert.equal(hash.length, 0);
    assert.equal(hash.update('a').digest(), 3675645893302102789n);
  });

  it('independent hashers do not disturb each other', () => {
    const a = new Crc64().update('1234');
    const b = new Crc64().update('hello ');
    a.update('56789');
    b.update('world');
    assert.equal(a.digest(), 11051210869376104954n);
    assert.equal(b.digest(), 5981764153023615706n);
  });

  it('update returns this; empty updates change nothing', () => {
    const hash = new Crc64();
    assert.equal(hash.update(new Uint8Array(0)).update(''), hash);
    assert.equal(hash.digest(), 0n);
    assert.equal(hash.update('a').update('').update(new Uint8Array(0)).digest(), 3675645893302102789n);
  });
});

describe('crc64Update', () => {
  it('continues from a stored CRC value', () => {
    assert.equal(crc64Update(crc64('1234'), '56789'), 11051210869376104954n);
    assert.equal(crc64Update(0n, '123456789'), 11051210869376104954n);
    assert.equal(crc64Update(12345n, new Uint8Array(0)), 12345n);
    const data = randomBytes(700_001);
    let crc = 0n;
    for (let offset = 0; offset < data.length; offset += 65_536) {
      crc = crc64Update(crc, data.subarray(offset, offset + 65_536));
    }
    assert.equal(crc, crc64(data));
  });

  it('matches the reference from arbitrary 64-bit starting values', () => {
    for (let i = 0; i < 20; i++) {
      const previous = i === 0 ? MASK : randomU64();
      const data = randomBytes(i * 397);
      assert.equal(crc64Update(previous, data), tableCrc64(data, previous));
    }
  });

  it('rejects starting values outside [0, 2^64 - 1]', () => {
    assert.throws(() => crc64Update(-1n, 'x'), RangeError);
    assert.throws(() => crc64Update(1n << 64n, 'x'), RangeError);
  });
});

describe('crc64Combine', () => {
  it('equals the CRC of the concatenation for random splits', () => {
    const data = randomBytes(100_000);
    for (let i = 0; i < 60; i++) {
      const split = i === 0 ? 0 : i === 1 ? data.length : Math.floor(Math.random() * data.length);
      const head = data.subarray(0, split);
      const tail = data.subarray(split);
      assert.equal(crc64Combine(crc64(head), crc64(tail), tail.length), crc64(data), `split at ${split}`);
    }
  });

  it('lengthB = 0 returns crcA (crcB of nothing is 0)', () => {
    const crcA = randomU64();
    assert.equal(crc64Combine(crcA, 0n, 0), crcA);
    assert.equal(crc64Combine(crcA, 0n, 0n), crcA);
  });

  it('a moderate length equals hashing the data with the BigInt reference', () => {
    const head = randomBytes(1000);
    const tail = randomBytes(333_333);
    const whole = new Uint8Array([...head, ...tail]);
    assert.equal(crc64Combine(tableCrc64(head), tableCrc64(tail), tail.length), tableCrc64(whole));
  });

  it('large lengths (up to 5 GB x 10000 parts) equal polynomial square-and-multiply', () => {
    const lengths = [
      2n ** 32n - 1n,
      2n ** 32n,
      2n ** 32n + 1n,
      5n * 1024n ** 3n,
      5n * 1024n ** 3n * 10_000n,
      2n ** 53n - 1n,
      2n ** 64n - 1n,
    ];
    for (const length of lengths) {
      const crcA = randomU64();
      const crcB = randomU64();
      const expected = zeroBytesShift(crcA, length) ^ crcB;
      assert.equal(crc64Combine(crcA, crcB, length), expected, `length ${length}`);
      if (length <= BigInt(Number.MAX_SAFE_INTEGER)) {
        assert.equal(crc64Combine(crcA, crcB, Number(length)), expected, `length ${length} as number`);
      }
    }
  });

  it('folding 10000 parts of 5 GB agrees with a balanced pairwise fold', () => {
    const partLength = 5n * 1024n ** 3n;
    const parts = Array.from({ length: 10_000 }, randomU64);
    let sequential = parts[0]!;
    for (const part of parts.slice(1)) sequential = crc64Combine(sequential, part, partLength);
    let level = parts.map((crc) => ({ crc, length: partLength }));
    while (level.length > 1) {
      const next = [];
      for (let i = 0; i < level.length; i += 2) {
        const left = level[i]!;
        const right = level[i + 1];
        next.push(
          right
            ? { crc: crc64Combine(left.crc, right.crc, right.length), length: left.length + right.length }
            : left,
        );
      }
      level = next;
    }
    assert.equal(level[0]!.crc, sequential);
  });

  it('rejects invalid lengths and CRCs', () => {
    assert.throws(() => crc64Combine(1n, 2n, -1), RangeError);
    assert.throws(() => crc64Combine(1n, 2n, 1.5), RangeError);
    assert.throws(() => crc64Combine(1n, 2n, Number.MAX_SAFE_INTEGER + 1), RangeError);
    assert.throws(() => crc64Combine(1n, 2n, -1n), RangeError);
    assert.throws(() => crc64Combine(1n, 2n, 2n ** 64n), RangeError);
    assert.throws(() => crc64Combine(-1n, 2n, 1), RangeError);
    assert.throws(() => crc64Combine(1n, 2n ** 64n, 1), RangeError);
  });
});

describe('decimal header form', () => {
  it('crc64ToDecimal formats unsigned 64-bit values', () => {
    assert.equal(crc64ToDecimal(0n), '0');
    assert.equal(crc64ToDecimal(MASK), '18446744073709551615');
    assert.equal(crc64ToDecimal(crc64('123456789')), '11051210869376104954');
    assert.throws(() => crc64ToDecimal(-1n), RangeError);
    assert.throws(() => crc64ToDecimal(2n ** 64n), RangeError);
  });

  it('parseCrc64Decimal accepts valid values', () => {
    assert.equal(parseCrc64Decimal('0'), 0n);
    assert.equal(parseCrc64Decimal('18446744073709551615'), MASK);
    assert.equal(parseCrc64Decimal('11051210869376104954'), 11051210869376104954n);
    assert.equal(parseCrc64Decimal('007'), 7n);
  });

  it('parseCrc64Decimal rejects everything else', () => {
    for (const value of [
      '',
      '-1',
      '18446744073709551616',
      '99999999999999999999',
      '1e3',
      ' 1',
      '1 ',
      '+1',
      '0x10',
      '1.0',
      '１',
      '1'.repeat(10_000),
    ]) {
      assert.equal(parseCrc64Decimal(value), undefined, JSON.stringify(value.slice(0, 30)));
    }
  });

  it('round-trips', () => {
    for (let i = 0; i < 100; i++) {
      const crc = randomU64();
      assert.equal(parseCrc64Decimal(crc64ToDecimal(crc)), crc);
    }
  });
});

describe('generated wasm module', () => {
  it('crc64-wasm.generated.ts holds exactly the assembled crc64.wat', async () => {
    // Compiled to dist/test/, so the repository root is four levels up.
    const script = new URL('../../../../scripts/gen-crc64-wasm.mjs', import.meta.url);
    const generator = (await import(script.href)) as {
      assembleCrc64Wat(watText: string): Promise<Uint8Array>;
      watUrl: URL;
    };
    const assembled = await generator.assembleCrc64Wat(await readFile(generator.watUrl, 'utf8'));
    assert.deepEqual(
      Buffer.from(CRC64_WASM_BASE64, 'base64'),
      Buffer.from(assembled),
      'crc64.wat changed without regenerating: run node scripts/gen-crc64-wasm.mjs',
    );
  });
});
