/** `x-cos-traffic-limit` enforcement: pace a byte stream to at most `bitsPerSecond`. */
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Yields the chunks of `source` no faster than the limit allows, measured from the first byte.
 * Chunks larger than 1/10 s worth of bytes are split so the pace stays smooth.
 */
export async function* throttle(
  source: AsyncIterable<Uint8Array>,
  bitsPerSecond: number,
): AsyncGenerator<Uint8Array> {
  const bytesPerSecond = bitsPerSecond / 8;
  const slice = Math.max(1, Math.floor(bytesPerSecond / 10));
  const started = performance.now();
  let sent = 0;
  for await (const chunk of source) {
    for (let offset = 0; offset < chunk.byteLength; offset += slice) {
      const piece = chunk.subarray(offset, Math.min(chunk.byteLength, offset + slice));
      const due = started + ((sent + piece.byteLength) / bytesPerSecond) * 1000;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      sent += piece.byteLength;
      yield piece;
    }
  }
}
