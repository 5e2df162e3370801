/**
 * Request bodies: what `Body` may be, and its checksums when they are needed. Part of the browser
 * build: bytes are `Uint8Array` (a Node `Buffer` is one), files are `Blob`s or, in Node, file slices.
 */
import { bytesToBase64, Crc64, crc64, crc64ToDecimal, createMd5, md5Base64 } from '@coskit/protocol';
import { invalidArgument } from './errors.js';
import type { AttemptBody, Platform } from './transport/sender.js';

/** Bytes `[start, end)` of the local file at `path`: `end` is exclusive, offsets in bytes. */
export interface FileSliceBody {
  /** Path of a local regular file. */
  readonly path: string;
  /** First byte sent (0-based). */
  readonly start: number;
  /** One past the last byte sent; `end - start` is the Content-Length. */
  readonly end: number;
}

/**
 * What `Body` / `Data` accept. Bytes (`Buffer`, `Uint8Array`), strings (sent as UTF-8), `Blob`s
 * (a browser `File`) and file slices (`{ path, start, end }`, end exclusive; Node only) are
 * replayed on a retry; streams (a Node `Readable`, any async iterable of bytes; Node only) are
 * sent once.
 */
export type BodyInput = Uint8Array | string | Blob | AsyncIterable<Uint8Array> | FileSliceBody;

/** A body the pipeline sends: an {@link AttemptBody}, or a file slice it opens per attempt. */
export type RequestBody = AttemptBody | FileSliceBody;

export interface PreparedBody {
  readonly body: RequestBody;
  /** Known for in-memory bodies, blobs and file slices. */
  readonly length: number | undefined;
  /** CRC-64 (decimal) of the body when it was computed up front, for the response check. */
  readonly crc64: string | undefined;
  /** Base64 MD5 when asked for. */
  readonly md5: string | undefined;
}

/** True for a `Blob` (a browser `File`; Node ≥ 20 has `Blob` too). */
export function isBlob(input: unknown): input is Blob {
  return typeof Blob !== 'undefined' && input instanceof Blob;
}

/**
 * True for a stream of bytes: anything async-iterable (a Node `Readable`) or a web `ReadableStream`
 * (which Safari does not make async-iterable: read it with {@link byteChunks}).
 */
export function isByteStream(input: unknown): input is AsyncIterable<Uint8Array> {
  return (
    typeof input === 'object' &&
    input !== null &&
    (typeof (input as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function' ||
      isWebStream(input))
  );
}

/** True for a web `ReadableStream` (anything with `getReader()`). */
function isWebStream(input: unknown): input is ReadableStream<Uint8Array> {
  return (
    typeof input === 'object' &&
    input !== null &&
    typeof (input as { getReader?: unknown }).getReader === 'function'
  );
}

/**
 * The chunks of a byte source, in order. A web `ReadableStream` is read with its reader, not
 * `for await`: Safari's streams are not async-iterable (Chromium's are since 124, Firefox's since
 * 110). Stopping early (a `break`, a throw) cancels the stream. Memory: one chunk at a time.
 */
export async function* byteChunks(
  source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (!isWebStream(source)) {
    yield* source;
    return;
  }
  const reader = source.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    finished = true;
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Bytes of the buffer {@link crc64OfBlob} reads a blob into, reused for every read of the blob. */
const BLOB_READ_BUFFER = 1024 * 1024;
/**
 * A BYOB read of a blob that has not resolved after this many ms is taken as stuck (see
 * {@link crc64OfBlob}); a read of 1 MiB normally takes a few ms. A slow but sound read taken for
 * a stuck one costs only the fallback's memory, never a wrong CRC-64.
 */
const BLOB_READ_STALL_MS = 2000;

/**
 * CRC-64 (decimal) and length of a blob, read through one reused 1 MiB buffer ({@link
 * BLOB_READ_BUFFER}, a BYOB reader of the blob's byte stream). Memory: that buffer, whatever the
 * blob's size. Reading it whole (`arrayBuffer()`), in the stream's own chunks or in 1 MiB slices
 * leaves each read as garbage until V8 collects it: 4 workers hashing 16 MiB parts held 110–145 MiB
 * of ArrayBuffers that way, 23 MiB with the reused buffer (bench/browser-upload-memory.bench.ts).
 *
 * Chromium 156's BYOB reads of a file's stream now and then never resolve (about one 16 MiB part in
 * 256 in that bench, hanging the upload): a read stuck for {@link BLOB_READ_STALL_MS} is abandoned
 * and the rest of the blob, from the bytes already hashed on, is read in 1 MiB slices. Where blob
 * streams are not byte streams (older Safari) the whole blob is read that way.
 */
export async function crc64OfBlob(blob: Blob): Promise<{ crc64: string; size: number }> {
  const crc = new Crc64();
  let size = 0;
  const hash = (bytes: Uint8Array) => {
    crc.update(bytes);
    size += bytes.byteLength;
  };
  let reader: ReadableStreamBYOBReader | undefined;
  try {
    reader = blob.stream().getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream: a TypeError before the stream is locked.
  }
  let buffer = new ArrayBuffer(BLOB_READ_BUFFER);
  while (reader) {
    // read() transfers the buffer; the view it gives back is over the same memory, reused next.
    const read = await withinStall(reader.read(new Uint8Array(buffer)));
    if (read === 'stalled') {
      reader.cancel().catch(() => {});
      break;
    }
    if (read.done || !read.value) return { crc64: crc.digestDecimal(), size };
    hash(read.value);
    buffer = read.value.buffer as ArrayBuffer;
  }
  for (let start = size; start < blob.size; start += BLOB_READ_BUFFER)
    hash(new Uint8Array(await blob.slice(start, start + BLOB_READ_BUFFER).arrayBuffer()));
  return { crc64: crc.digestDecimal(), size };
}

/** `read`'s outcome, or 'stalled' when it has not settled within {@link BLOB_READ_STALL_MS}. */
async function withinStall<T>(read: Promise<T>): Promise<T | 'stalled'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<'stalled'>((resolve) => {
    timer = setTimeout(() => resolve('stalled'), BLOB_READ_STALL_MS);
  });
  try {
    return await Promise.race([read, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/** True for a plain `{ path, start, end }` object (not bytes, a blob or a stream). */
export function isFileSliceBody(input: unknown): input is FileSliceBody {
  if (typeof input !== 'object' || input === null) return false;
  if (input instanceof Uint8Array || isBlob(input) || isByteStream(input)) return false;
  const o = input as Record<string, unknown>;
  return typeof o['path'] === 'string' && 'start' in o && 'end' in o;
}

/** True for a body the pipeline can send again on a retry (everything but a stream). */
export function isReplayable(body: RequestBody | undefined): boolean {
  return body === undefined || body instanceof Uint8Array || isBlob(body) || isFileSliceBody(body);
}

/** Throws a COS_INVALID_ARGUMENT error (before any I/O) unless `0 <= start <= end` are safe integers. */
function checkFileSlice(slice: FileSliceBody): FileSliceBody {
  const { path, start, end } = slice;
  if (path === '') throw invalidArgument('a file slice Body needs a path to a local file.');
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw invalidArgument(
      `a file slice Body needs integer offsets with 0 <= start <= end (end exclusive); got start ${start}, end ${end}.`,
    );
  }
  return slice;
}

/** MD5 (base64) and, when asked, CRC-64 (decimal) of a replayable source read once in pieces. */
async function digestPieces(
  pieces: AsyncIterable<Uint8Array>,
  wantMd5: boolean,
  wantCrc: boolean,
): Promise<{ md5: string | undefined; crc64: string | undefined }> {
  const md5 = wantMd5 ? createMd5() : undefined;
  const crc = wantCrc ? new Crc64() : undefined;
  for await (const chunk of pieces) {
    md5?.update(chunk);
    crc?.update(chunk);
  }
  const digest = md5?.digest();
  return {
    md5: digest ? bytesToBase64(digest) : undefined,
    crc64: crc?.digestDecimal(),
  };
}

/**
 * Normalises a `Body` and computes the digests asked for. A file slice is read once to hash it
 * only when `wantMd5` is set (Content-MD5 must precede the bytes); its CRC-64 is otherwise computed
 * by the transport while it is sent. A blob is read once ahead (in the runtime's chunks, never
 * whole) for either digest, since a browser cannot hash what it sends.
 */
export async function prepareBody(
  input: unknown,
  wantMd5: boolean,
  wantCrc: boolean,
  platform: Platform,
): Promise<PreparedBody> {
  if (isFileSliceBody(input)) {
    const slice = checkFileSlice(input);
    const open = platform.openFileSlice;
    if (!open) throw invalidArgument('a file slice Body needs a file system (Node); pass a Blob or bytes.');
    const length = slice.end - slice.start;
    if (!wantMd5) return { body: slice, length, crc64: undefined, md5: undefined };
    return { body: slice, length, ...(await digestPieces(open(slice), true, wantCrc)) };
  }
  if (isBlob(input)) {
    if (!wantMd5 && !wantCrc) return { body: input, length: input.size, crc64: undefined, md5: undefined };
    return {
      body: input,
      length: input.size,
      ...(await digestPieces(byteChunks(input.stream()), wantMd5, wantCrc)),
    };
  }
  let bytes: Uint8Array;
  if (input instanceof Uint8Array) bytes = input;
  else if (typeof input === 'string') bytes = new TextEncoder().encode(input);
  else if (isByteStream(input)) {
    if (platform.controlsConnection === false) {
      throw invalidArgument(
        'a browser cannot stream a request body: pass a Blob/File, Uint8Array or string, or use uploadStream (which cuts a stream into parts).',
      );
    }
    if (wantMd5) {
      throw invalidArgument(
        'EnableMD5 needs a Body that can be read twice (Buffer, string or a file slice { path, start, end }); hashing a stream first would buffer it whole. Pass ContentMD5 yourself, or use uploadStream.',
      );
    }
    return { body: input, length: undefined, crc64: undefined, md5: undefined };
  } else
    throw invalidArgument(
      'Body must be a Buffer, Uint8Array, string, Blob, readable stream or file slice { path, start, end }.',
    );
  return {
    body: bytes,
    length: bytes.length,
    crc64: wantCrc ? crc64ToDecimal(crc64(bytes)) : undefined,
    md5: wantMd5 ? md5Base64(bytes) : undefined,
  };
}

/** An XML request body and the two headers COS requires with one (Content-MD5 is mandatory on several calls). */
export interface XmlRequestBody {
  readonly body: Uint8Array;
  readonly headers: { readonly 'content-type': 'application/xml'; readonly 'content-md5': string };
}

/** Encodes `xml` (UTF-8) and computes its base64 Content-MD5. */
export function xmlBody(xml: string): XmlRequestBody {
  const body = new TextEncoder().encode(xml);
  return { body, headers: { 'content-type': 'application/xml', 'content-md5': md5Base64(body) } };
}
