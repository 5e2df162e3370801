/**
 * Builds aws-chunked bodies — the inverse of aws-chunked-decoder.ts — for tests and for a client that
 * streams uploads: each chunk framed as `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n`, the final
 * empty chunk, then the trailing headers (signed with `x-amz-trailer-signature` when asked).
 */
import { sha256Hex } from '#sha256';
import type { ChunkSigning } from './aws-chunked-decoder.js';
import { chunkStringToSign, signatureOf, trailerStringToSign } from './signing-key.js';

/** How to frame the body. */
export interface AwsChunkedEncodeOptions {
  /** Sign every chunk, chained from `signing.seedSignature` (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD…`). */
  readonly signing?: ChunkSigning;
  /** Trailing headers, lower-case names (e.g. `x-amz-checksum-crc32`), sent after the final chunk. */
  readonly trailers?: readonly (readonly [name: string, value: string])[];
}

const encoder = new TextEncoder();

/**
 * The wire bytes of an aws-chunked body carrying `chunks` in order (each one chunk; empty ones are
 * skipped, the final empty chunk is added). With `signing` and `trailers` the trailer is signed too.
 * @returns Pieces to write in order (data pieces are the caller's arrays, not copies).
 */
export function encodeAwsChunked(
  chunks: readonly Uint8Array[],
  options: AwsChunkedEncodeOptions = {},
): Uint8Array[] {
  const { signing, trailers } = options;
  const out: Uint8Array[] = [];
  let previous = signing?.seedSignature ?? '';
  const header = (data: Uint8Array): string => {
    if (!signing) return `${data.length.toString(16)}\r\n`;
    previous = signatureOf(
      signing.signingKey,
      chunkStringToSign(signing.amzDate, signing.scope, previous, sha256Hex(data)),
    );
    return `${data.length.toString(16)};chunk-signature=${previous}\r\n`;
  };
  for (const data of chunks) {
    if (data.length === 0) continue;
    out.push(encoder.encode(header(data)), data, encoder.encode('\r\n'));
  }
  const last = header(new Uint8Array(0));
  if (!trailers) {
    out.push(encoder.encode(`${last}\r\n`));
    return out;
  }
  let lines = '';
  for (const [name, value] of trailers) lines += `${name}:${value}\n`;
  let text = last + lines.replace(/\n/g, '\r\n');
  if (signing) {
    const trailerSignature = signatureOf(
      signing.signingKey,
      trailerStringToSign(signing.amzDate, signing.scope, previous, sha256Hex(lines)),
    );
    text += `x-amz-trailer-signature:${trailerSignature}\r\n`;
  }
  out.push(encoder.encode(`${text}\r\n`));
  return out;
}
