/**
 * The aws-chunked body of S3 streaming uploads, decoded incrementally:
 *
 * ```
 * <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n   … repeated, then the final empty chunk:
 * 0[;chunk-signature=<sig>]\r\n
 * [<trailer name>:<value>\r\n …][x-amz-trailer-signature:<sig>\r\n]\r\n
 * ```
 *
 * With signed chunks (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`) each chunk's signature is
 * chained from the previous one, the first from the request's seed signature; with
 * `STREAMING-UNSIGNED-PAYLOAD-TRAILER` chunks carry no signature and trailing checksum headers follow.
 * Payload bytes leave as views of the input while their chunk is still being hashed; its signature is
 * checked when the chunk's closing CRLF arrives (see payload-decoder.ts for why that is safe).
 */

import { createSha256, type Sha256Hash, sha256Hex } from '#sha256';
import { LIMITS } from '../../limits.js';
import { constantTimeEqual } from '../keys.js';
import { SigV4Error } from './error.js';
import { EMPTY_SHA256 } from './names.js';
import type { PayloadDecoder } from './payload-decoder.js';
import { chunkStringToSign, signatureOf, trailerStringToSign } from './signing-key.js';

/** What signed chunks are checked against: the verified request's key, date, scope and signature. */
export interface ChunkSigning {
  /** From `deriveSigningKey` for the request's scope. */
  readonly signingKey: Uint8Array;
  /** The request's `x-amz-date`. */
  readonly amzDate: string;
  /** `<date>/<region>/<service>/aws4_request`. */
  readonly scope: string;
  /** The request's own (already verified) signature; the first chunk's signature is chained to it. */
  readonly seedSignature: string;
}

/** The framing a body uses (from `readPayloadMode`). */
export interface AwsChunkedOptions {
  /** Given when chunks carry signatures; required for a signed trailer. */
  readonly signing?: ChunkSigning;
  /** Trailing headers after the final chunk: none, plain, or signed. */
  readonly trailer: 'none' | 'unsigned' | 'signed';
  /** Lower-case names announced in `x-amz-trailer`: exactly these must arrive, once each. */
  readonly trailerNames: readonly string[];
  /** `x-amz-decoded-content-length`: the payload must be exactly this long. */
  readonly decodedLength: number;
}

type State = 'chunk-header' | 'data' | 'data-crlf' | 'trailer' | 'done';

const CR = 0x0d;
const LF = 0x0a;
const SIGNED_HEADER = /^([0-9a-fA-F]{1,15});chunk-signature=([0-9a-f]{64})$/;
const UNSIGNED_HEADER = /^([0-9a-fA-F]{1,15})(?:;.*)?$/;
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes one aws-chunked body. Memory: one line buffer of `LIMITS.maxAwsChunkHeaderBytes` and a hash
 * state, whatever the chunk sizes.
 */
export class AwsChunkedDecoder implements PayloadDecoder {
  readonly #options: AwsChunkedOptions;
  #state: State = 'chunk-header';
  /** The line being read (chunk header or trailer), without its CRLF. */
  readonly #line = new Uint8Array(LIMITS.maxAwsChunkHeaderBytes + 1);
  #lineLength = 0;
  #trailerBytes = 0;
  /** Bytes of the current chunk's data still to come, and of its closing CRLF. */
  #remaining = 0;
  #crlfSeen = 0;
  #chunkSize = 0;
  #chunkSignature = '';
  #chunkHash: Sha256Hash | undefined;
  #previousSignature: string;
  #decoded = 0;
  readonly #trailers = new Map<string, string>();
  #trailerCanonical = '';
  #trailerSigned = false;
  /** An empty line came before any trailer (tolerated once, see #trailerLine). */
  #leadingEmptyLine = false;

  /** @throws SigV4Error `InvalidRequest` when signed chunks or a signed trailer come without signing. */
  constructor(options: AwsChunkedOptions) {
    if (options.trailer === 'signed' && !options.signing) {
      throw new SigV4Error('InvalidRequest', 'A signed trailer needs the chunk signing context.');
    }
    this.#options = options;
    this.#previousSignature = options.signing?.seedSignature ?? '';
  }

  /** Payload bytes decoded so far. */
  get decodedBytes(): number {
    return this.#decoded;
  }

  push(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let pos = 0;
    while (pos < bytes.length) {
      switch (this.#state) {
        case 'chunk-header':
        case 'trailer': {
          const lf = bytes.indexOf(LF, pos);
          const end = lf < 0 ? bytes.length : lf;
          this.#appendToLine(bytes, pos, end);
          pos = end;
          if (lf >= 0) {
            pos++;
            this.#completeLine(true);
          }
          break;
        }
        case 'data': {
          const take = Math.min(this.#remaining, bytes.length - pos);
          const view = bytes.subarray(pos, pos + take);
          this.#chunkHash?.update(view);
          out.push(view);
          this.#remaining -= take;
          pos += take;
          if (this.#remaining === 0) this.#state = 'data-crlf';
          break;
        }
        case 'data-crlf': {
          const expected = this.#crlfSeen === 0 ? CR : LF;
          if (bytes[pos] !== expected) this.#malformed('a chunk is not followed by CRLF');
          pos++;
          if (++this.#crlfSeen === 2) this.#completeChunk();
          break;
        }
        case 'done':
          this.#malformed('bytes follow the end of the aws-chunked body');
      }
    }
    return out;
  }

  end(): ReadonlyMap<string, string> {
    if (this.#state === 'trailer') {
      // Tolerate a last trailer line (or the closing empty line) that the client did not terminate.
      if (this.#lineLength > 0) this.#completeLine(false);
      this.#finishTrailers();
    }
    if (this.#state !== 'done') {
      throw new SigV4Error(
        'IncompleteBody',
        `The aws-chunked body ended early: ${this.#decoded} of ${this.#options.decodedLength} payload bytes, final chunk missing.`,
      );
    }
    return this.#trailers;
  }

  #appendToLine(bytes: Uint8Array, from: number, to: number): void {
    const length = to - from;
    if (this.#lineLength + length > this.#line.length) {
      this.#malformed(`a chunk header or trailer line exceeds ${LIMITS.maxAwsChunkHeaderBytes} bytes`);
    }
    this.#line.set(bytes.subarray(from, to), this.#lineLength);
    this.#lineLength += length;
  }

  /** A line ended (at LF, or at the end of the body when `terminated` is false). */
  #completeLine(terminated: boolean): void {
    let length = this.#lineLength;
    if (terminated) {
      if (length === 0 || this.#line[length - 1] !== CR)
        this.#malformed('a line ends with LF instead of CRLF');
      length--;
    }
    this.#lineLength = 0;
    let text: string;
    try {
      text = utf8.decode(this.#line.subarray(0, length));
    } catch {
      this.#malformed('a chunk header or trailer line is not UTF-8');
    }
    if (this.#state === 'chunk-header') this.#startChunk(text);
    else this.#trailerLine(text, length + 2);
  }

  #startChunk(header: string): void {
    const signing = this.#options.signing;
    const m = (signing ? SIGNED_HEADER : UNSIGNED_HEADER).exec(header);
    if (!m) {
      this.#malformed(
        signing
          ? `chunk header "${header.slice(0, 100)}" is not <hex size>;chunk-signature=<64 hex>`
          : `chunk header "${header.slice(0, 100)}" is not <hex size>`,
      );
    }
    const size = Number.parseInt(m[1]!, 16);
    if (size > this.#options.decodedLength - this.#decoded) {
      throw new SigV4Error(
        'IncompleteBody',
        `The aws-chunked body carries more than x-amz-decoded-content-length (${this.#options.decodedLength}) bytes.`,
      );
    }
    this.#chunkSize = size;
    this.#chunkSignature = m[2] ?? '';
    this.#decoded += size;
    if (size === 0) {
      if (this.#decoded !== this.#options.decodedLength) {
        throw new SigV4Error(
          'IncompleteBody',
          `The aws-chunked body carries ${this.#decoded} bytes; x-amz-decoded-content-length says ${this.#options.decodedLength}.`,
        );
      }
      this.#checkChunkSignature(EMPTY_SHA256);
      if (this.#options.trailer === 'none') {
        // "0;chunk-signature=…\r\n" is followed by the empty line that ends the body.
        this.#remaining = 0;
        this.#crlfSeen = 0;
        this.#state = 'data-crlf';
      } else this.#state = 'trailer';
      return;
    }
    this.#chunkHash = signing ? createSha256() : undefined;
    this.#remaining = size;
    this.#crlfSeen = 0;
    this.#state = 'data';
  }

  #completeChunk(): void {
    if (this.#chunkSize === 0) {
      this.#state = 'done';
      return;
    }
    if (this.#chunkHash) this.#checkChunkSignature(this.#chunkHash.digestHex());
    this.#chunkHash = undefined;
    this.#state = 'chunk-header';
  }

  #checkChunkSignature(dataSha256: string): void {
    const signing = this.#options.signing;
    if (!signing) return;
    const expected = signatureOf(
      signing.signingKey,
      chunkStringToSign(signing.amzDate, signing.scope, this.#previousSignature, dataSha256),
    );
    if (!constantTimeEqual(expected, this.#chunkSignature)) {
      throw new SigV4Error(
        'SignatureDoesNotMatch',
        `The signature of the aws-chunked chunk ending at payload byte ${this.#decoded} does not match.`,
      );
    }
    this.#previousSignature = expected;
  }

  #trailerLine(line: string, wireBytes: number): void {
    this.#trailerBytes += wireBytes;
    if (this.#trailerBytes > LIMITS.maxAwsChunkTrailerBytes) {
      this.#badTrailer(`the trailer section exceeds ${LIMITS.maxAwsChunkTrailerBytes} bytes`);
    }
    if (line === '') {
      // Some clients put an empty line between the final chunk and the trailers; an empty line after
      // a trailer (or when nothing is announced and the empty line is all there is) ends the body.
      if (this.#trailers.size > 0 || this.#trailerSigned || this.#leadingEmptyLine) this.#finishTrailers();
      else this.#leadingEmptyLine = true;
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) this.#badTrailer(`trailer line "${line.slice(0, 100)}" is not name:value`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (this.#trailerSigned) this.#badTrailer(`trailer "${name}" follows ${TRAILER_SIGNATURE}`);
    if (name === TRAILER_SIGNATURE) {
      this.#checkTrailerSignature(value);
      return;
    }
    if (!this.#options.trailerNames.includes(name)) {
      this.#badTrailer(`trailer "${name}" was not announced in x-amz-trailer`);
    }
    if (this.#trailers.has(name)) this.#badTrailer(`trailer "${name}" is repeated`);
    this.#trailers.set(name, value);
    this.#trailerCanonical += `${name}:${value}\n`;
  }

  #checkTrailerSignature(value: string): void {
    const signing = this.#options.signing;
    if (this.#options.trailer !== 'signed' || !signing) {
      this.#badTrailer(`${TRAILER_SIGNATURE} in a body whose trailer is not signed`);
    }
    const expected = signatureOf(
      signing.signingKey,
      trailerStringToSign(
        signing.amzDate,
        signing.scope,
        this.#previousSignature,
        sha256Hex(this.#trailerCanonical),
      ),
    );
    if (!constantTimeEqual(expected, value.toLowerCase())) {
      throw new SigV4Error('SignatureDoesNotMatch', 'The signature of the trailing headers does not match.');
    }
    this.#trailerSigned = true;
  }

  #finishTrailers(): void {
    for (const name of this.#options.trailerNames) {
      if (!this.#trailers.has(name)) this.#badTrailer(`the announced trailer "${name}" did not arrive`);
    }
    if (this.#options.trailer === 'signed' && !this.#trailerSigned) {
      this.#badTrailer(`the trailing headers came without ${TRAILER_SIGNATURE}`);
    }
    this.#state = 'done';
  }

  #malformed(why: string): never {
    throw new SigV4Error('InvalidRequest', `Malformed aws-chunked body: ${why}.`);
  }

  #badTrailer(why: string): never {
    throw new SigV4Error('MalformedTrailerError', `Malformed aws-chunked trailer: ${why}.`);
  }
}
