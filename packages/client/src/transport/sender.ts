/**
 * The seam between the request pipeline and the network: one HTTP exchange, no retries (those are
 * in request.ts). `node/http-sender.ts` implements it on `node:http`/`node:https`,
 * `browser/fetch-sender.ts` on `fetch` and `XMLHttpRequest`. Nothing here may need Node: this file
 * is part of the browser build.
 */

/**
 * A request body as the pipeline hands it over: bytes, a `Blob` (a browser `File`; replayable, its
 * size known) or a stream of bytes (a Node `Readable` is one), which is sent once.
 */
export type AttemptBody = Uint8Array | Blob | AsyncIterable<Uint8Array>;

export interface Attempt {
  readonly scheme: 'http' | 'https';
  readonly method: string;
  readonly connectHost: string;
  readonly connectPort: number;
  /** Encoded path plus `?query`. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: AttemptBody | undefined;
  /** Idle timeout, ms: the attempt fails when nothing moves (no byte sent or received) for this long. */
  readonly timeout: number;
  readonly signal?: AbortSignal | undefined;
  /** Bytes of the body taken by the connection since the last call. */
  readonly onUploadProgress?: ((bytes: number) => void) | undefined;
  /** Sees each chunk of a stream body as it is written (e.g. to CRC-64 it on the way). */
  readonly onBodyChunk?: ((chunk: Uint8Array) => void) | undefined;
  /** Return the answer's body as a stream (GET Object) instead of buffering it. */
  readonly streamResponse?: boolean;
}

export interface AttemptResult<TStream = unknown> {
  readonly statusCode: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Record<string, string>;
  /** The buffered body (empty when streamed). */
  readonly body: Uint8Array;
  /**
   * The body as a stream, with `streamResponse` (Node: a `Readable`; browser: a web
   * `ReadableStream`); cancellation still applies while it is read.
   */
  readonly stream?: TStream;
}

/**
 * Sends one attempt; every failure is a `CosClientError` (`COS_NETWORK`, `COS_TIMEOUT`,
 * `COS_ABORTED`). A network failure carries an `errno` the retry policy looks up
 * (`RetryPolicy.networkCodes`).
 */
export interface Sender {
  send(attempt: Attempt): Promise<AttemptResult>;
  /** Closes idle connections (lets the process exit promptly). */
  destroy(): void;
}

/** A fresh stream of a file slice; `destroy` closes the file when the attempt ends early. */
export type FileSliceStream = AsyncIterable<Uint8Array> & { destroy(): void };

/** What the request pipeline needs from its runtime. */
export interface Platform {
  readonly sender: Sender;
  /**
   * A fresh stream of a file slice `{ path, start, end }` (one per attempt); absent where there is
   * no file system, and then a file-slice Body is refused.
   */
  readonly openFileSlice?:
    | ((slice: { path: string; start: number; end: number }) => FileSliceStream)
    | undefined;
  /**
   * False where the runtime picks the Host header itself from the URL and cannot stream a request
   * body (a browser): requests then go to the address they name (with `IP`, path style to
   * `IP:Port`), and a stream Body is refused before any I/O. Default true (Node).
   */
  readonly controlsConnection?: boolean;
}
