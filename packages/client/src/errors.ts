/**
 * The two error classes of the SDK, as in the seed: `CosClientError` for everything decided on this
 * side (bad arguments, network, timeouts, checksum mismatches, cancellations) and `CosServiceError`
 * for an error answered by COS. Both carry stable `code`s to switch on.
 */

/** Stable codes of {@link CosClientError}: the complete list. */
export type CosClientErrorCode =
  /** An argument is invalid; nothing was sent. */
  | 'COS_INVALID_ARGUMENT'
  /** The connection failed (refused, reset, DNS) after the retries. */
  | 'COS_NETWORK'
  /** No answer (or no bytes of a body) within the timeout, after the retries. */
  | 'COS_TIMEOUT'
  /** Cancelled through the AbortSignal. */
  | 'COS_ABORTED'
  /** A CRC-64 from the server differs from the bytes sent or received. */
  | 'COS_CHECKSUM_MISMATCH'
  /** An answer's body is not the XML expected. */
  | 'COS_MALFORMED_RESPONSE'
  /** A local file could not be read (missing, unreadable, or shorter than expected). */
  | 'COS_FILE_READ'
  /** A part of a multipart upload failed; the upload stays resumable (`UploadId`, `PartNumber`). */
  | 'COS_PART_FAILED'
  /** Parts are missing before Complete; run again to resume (`UploadId`). */
  | 'COS_INCOMPLETE_UPLOAD'
  /** The object changed during a download or since an interrupted append. */
  | 'COS_OBJECT_CHANGED'
  /** `appendFile` to an object that exists and is not appendable. */
  | 'COS_NOT_APPENDABLE';

/** A failure on the client side; nothing is known about the server's state beyond the message. */
export class CosClientError extends Error {
  override readonly name = 'CosClientError';
  /** The multipart upload concerned (transfer errors), to resume or abort it. */
  readonly UploadId?: string;
  /** The part that failed (`COS_PART_FAILED`). */
  readonly PartNumber?: number;

  constructor(
    /** Stable code, e.g. `COS_NETWORK`. */
    readonly code: CosClientErrorCode,
    message: string,
    options?: { cause?: unknown; UploadId?: string | undefined; PartNumber?: number | undefined },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.UploadId !== undefined) this.UploadId = options.UploadId;
    if (options?.PartNumber !== undefined) this.PartNumber = options.PartNumber;
  }

  /** Seed-style accessor. */
  getMessage(): string {
    return this.message;
  }
}

/** An error answered by COS (an `<Error>` body, or a bodiless status for HEAD). */
export class CosServiceError extends Error {
  override readonly name = 'CosServiceError';
  /** HTTP status. */
  readonly statusCode: number;
  /** COS error code (`NoSuchKey`, `AppendPositionErr`, …); for a bodiless HEAD error, derived from the status. */
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly resource: string;
  readonly requestId: string;
  readonly traceId: string;
  /** The raw response body (empty for HEAD). */
  readonly body: string;
  /** Response headers, lower-case names. */
  readonly headers: Record<string, string>;

  constructor(fields: {
    statusCode: number;
    errorCode: string;
    errorMessage: string;
    resource: string;
    requestId: string;
    traceId: string;
    body: string;
    headers: Record<string, string>;
    method: string;
    url: string;
  }) {
    super(`${fields.method} ${fields.url}: ${fields.statusCode} ${fields.errorCode}: ${fields.errorMessage}`);
    this.statusCode = fields.statusCode;
    this.errorCode = fields.errorCode;
    this.errorMessage = fields.errorMessage;
    this.resource = fields.resource;
    this.requestId = fields.requestId;
    this.traceId = fields.traceId;
    this.body = fields.body;
    this.headers = fields.headers;
  }

  /** The seed's accessors (`e.get_status_code()` in Python). */
  getStatusCode(): number {
    return this.statusCode;
  }
  getErrorCode(): string {
    return this.errorCode;
  }
  getErrorMessage(): string {
    return this.errorMessage;
  }
  getResourceLocation(): string {
    return this.resource;
  }
  getRequestId(): string {
    return this.requestId;
  }
  getTraceId(): string {
    return this.traceId;
  }
}

export function invalidArgument(message: string): CosClientError {
  return new CosClientError('COS_INVALID_ARGUMENT', message);
}
