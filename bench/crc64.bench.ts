// Throughput of coskit's CRC-64/XZ against peers, fed the way uploads feed it: a large buffer in chunks.
//
//   npm run build && npm run bench:crc64 [-- --size-mib 256 --rounds 5]
//
// MB/s are 10^6 bytes per second. Each round runs every contender once, interleaved, so slow drift of a
// shared machine hits all of them alike; the reported figure is the median over rounds.
import { createHash, randomFillSync } from 'node:crypto';
import { parseArgs } from 'node:util';
import * as zlib from 'node:zlib';
import { createCRC64 } from 'hash-wasm';

// @coskit/protocol is not importable by name from here yet, and this file runs from bench/dist/, one level
// below its source: take the types from the protocol build output, and load it by a runtime URL.
type Crc64Module = typeof import('../packages/protocol/dist/src/crc64/index.js');
const { Crc64 }: Crc64Module = await import(
  new URL('../../packages/protocol/dist/src/crc64/index.js', import.meta.url).href
);

interface Contender {
  name: string;
  /** Hashes `data` fed in `chunkSize` pieces; returns the digest for sanity checks. */
  run(data: Uint8Array, chunkSize: number): string;
}

const { values } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '256' },
    rounds: { type: 'string', default: '5' },
  },
});
const sizeBytes = Number(values['size-mib']) * 1024 * 1024;
const rounds = Number(values.rounds);
if (!(sizeBytes > 0) || !(rounds > 0)) throw new Error('--size-mib and --rounds must be positive numbers');

function forEachChunk(data: Uint8Array, chunkSize: number, consume: (chunk: Uint8Array) => void): void {
  for (let offset = 0; offset < data.length; offset += chunkSize) {
    consume(data.subarray(offset, offset + chunkSize));
  }
}

const hashWasm = await createCRC64();
// zlib.crc32 exists from Node 20.15 / 22.2.
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

const contenders: Contender[] = [
  {
    name: 'crc64 coskit',
    run(data, chunkSize) {
      const hash = new Crc64();
      forEachChunk(data, chunkSize, (chunk) => hash.update(chunk));
      return hash.digest().toString(16).padStart(16, '0');
    },
  },
  {
    name: 'crc64 hash-wasm',
    run(data, chunkSize) {
      hashWasm.init();
      forEachChunk(data, chunkSize, (chunk) => hashWasm.update(chunk));
      return hashWasm.digest('hex');
    },
  },
  {
    name: 'md5 node:crypto',
    run(data, chunkSize) {
      const hash = createHash('md5');
      forEachChunk(data, chunkSize, (chunk) => hash.update(chunk));
      return hash.digest('hex');
    },
  },
];
if (zlibCrc32) {
  const crc32 = zlibCrc32;
  contenders.push({
    name: 'crc32 node:zlib',
    run(data, chunkSize) {
      let crc = 0;
      forEachChunk(data, chunkSize, (chunk) => {
        crc = crc32(chunk, crc);
      });
      return crc.toString(16);
    },
  });
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const fmt = (mbPerSecond: number) => mbPerSecond.toFixed(0).padStart(6);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

const data = new Uint8Array(sizeBytes);
for (let offset = 0; offset < data.length; offset += 1 << 26) {
  randomFillSync(data, offset, Math.min(1 << 26, data.length - offset));
}
console.log(
  `node ${process.version}, ${values['size-mib']} MiB random input, ${rounds} rounds per chunk size`,
);

// Warm up so every wasm kernel is tiered up to optimized code before timing.
const warmUp = data.subarray(0, Math.min(data.length, 32 << 20));
for (const contender of contenders) contender.run(warmUp, 1 << 16);

const final = new Map<number, Map<string, number>>();
for (const chunkSize of [1 << 20, 1 << 16]) {
  const samples = new Map(contenders.map((c) => [c.name, [] as number[]]));
  let coskitDigest = '';
  for (let round = 0; round < rounds; round++) {
    for (const contender of contenders) {
      const start = process.hrtime.bigint();
      const digest = contender.run(data, chunkSize);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      samples.get(contender.name)!.push(data.length / 1e6 / seconds);
      if (contender.name === 'crc64 coskit') coskitDigest = digest;
      if (contender.name === 'crc64 hash-wasm' && digest !== coskitDigest) {
        throw new Error(`CRC mismatch: coskit ${coskitDigest}, hash-wasm ${digest}`);
      }
    }
  }
  const medians = new Map([...samples].map(([name, s]) => [name, median(s)]));
  final.set(chunkSize, medians);
  const ours = medians.get('crc64 coskit')!;
  console.log(`\nchunks of ${chunkSize >= 1 << 20 ? `${chunkSize >> 20} MiB` : `${chunkSize >> 10} KiB`}:`);
  console.log('  contender          median MB/s   best MB/s   coskit vs this');
  for (const [name, s] of samples) {
    const m = medians.get(name)!;
    const vs = name === 'crc64 coskit' ? '' : ratio(ours, m);
    console.log(`  ${name.padEnd(18)} ${fmt(m)}        ${fmt(Math.max(...s))}      ${vs}`);
  }
}

for (const [chunkSize, medians] of final) {
  const ours = medians.get('crc64 coskit')!;
  const peers = [
    `${ratio(ours, medians.get('crc64 hash-wasm')!)} hash-wasm crc64`,
    `${ratio(ours, medians.get('md5 node:crypto')!)} md5`,
  ];
  const crc32 = medians.get('crc32 node:zlib');
  if (crc32 !== undefined) peers.push(`${ratio(ours, crc32)} zlib crc32`);
  const label = chunkSize >= 1 << 20 ? `${chunkSize >> 20} MiB` : `${chunkSize >> 10} KiB`;
  console.log(`crc64 coskit, ${label} chunks: ${ours.toFixed(0)} MB/s (${peers.join(', ')})`);
}
