/**
 * The seam between the request pipeline and the network: one HTTP exchange, no retries (those are
 * in request.ts). `node/http-sender.ts` implements it on `node:http`/`node:https`; another runtime
 * (a browser build) supplies its own.
 */
import type { Readable } from 'node:stream';

export interface Attempt {
  readonly scheme: 'http' | 'https';
  readonly method: string;
  readonly connectHost: string;
  readonly connectPort: number;
  /** Encoded path plus `?query`. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | Readable | undefined;
  /** Idle timeout of the connection, ms. */
  readonly timeout: number;
  readonly signal?: AbortSignal | undefined;
  /** Bytes of the body taken by the connection since the last call. */
  readonly onUploadProgress?: ((bytes: number) => void) | undefined;
  /** Sees each chunk of the body as it is written (e.g. to CRC-64 it on the way). */
  readonly onBodyChunk?: ((chunk: Buffer) => void) | undefined;
  /** Return the answer's body as a stream (GET Object) instead of buffering it. */
  readonly streamResponse?: boolean;
}

export interface AttemptResult {
  readonly statusCode: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Record<string, string>;
  /** The buffered body (empty when streamed). */
  readonly body: Buffer;
  /** The body as a stream, with `streamResponse`; cancellation and the idle timeout still apply. */
  readonly stream?: Readable;
}

/** Sends one attempt; every failure is a `CosClientError` (`COS_NETWORK`, `COS_TIMEOUT`, `COS_ABORTED`). */
export interface Sender {
  send(attempt: Attempt): Promise<AttemptResult>;
  /** Closes idle connections (lets the process exit promptly). */
  destroy(): void;
}

/** What the request pipeline needs from its runtime: a sender, and a way to read file-slice bodies. */
export interface Platform {
  readonly sender: Sender;
  /**
   * A fresh stream of a file slice `{ path, start, end }` (one per attempt); absent where there is
   * no file system, and then a file-slice Body is refused.
   */
  readonly openFileSlice?: ((slice: { path: string; start: number; end: number }) => Readable) | undefined;
}
