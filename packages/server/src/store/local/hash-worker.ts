/**
 * Worker-thread side of {@link HashPool} (see hash-pool.ts): keeps one MD5 + CRC-64 state per
 * stream id and answers `end` with the digests. Chunks arrive as transferred ArrayBuffers, so the
 * main thread pays one copy per byte and none of the hashing.
 */
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { Crc64 } from '@coskit/protocol';
import type { HashRequest, HashResult } from './hash-pool.js';

const port = parentPort;
if (!port) throw new Error('hash-worker.js runs only as a worker thread');

const streams = new Map<number, { md5: Hash; crc: Crc64 }>();

port.on('message', (msg: HashRequest) => {
  let state = streams.get(msg.id);
  if (!state) {
    state = { md5: createHash('md5'), crc: new Crc64() };
    streams.set(msg.id, state);
  }
  if (msg.chunk) {
    const bytes = new Uint8Array(msg.chunk);
    state.md5.update(bytes);
    state.crc.update(bytes);
  }
  if (msg.end) {
    streams.delete(msg.id);
    const result: HashResult = { id: msg.id, md5: state.md5.digest('hex'), crc64: state.crc.digest() };
    port.postMessage(result);
  } else if (msg.chunk) {
    port.postMessage({ id: msg.id, hashed: msg.chunk.byteLength } satisfies HashResult);
  }
});
