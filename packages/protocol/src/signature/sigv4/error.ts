/**
 * The one failure type of the SigV4 code. It carries the S3 error code the server answers with (as the
 * XML codec's errors do), so no handler decides which code a signature problem gets.
 */
import type { CosErrorCode } from '../../errors.js';

/** What an S3 server puts beside `<Code>` for a signature mismatch, to help the client debug. */
export interface SigV4ErrorDetails {
  readonly CanonicalRequest?: string;
  readonly StringToSign?: string;
  readonly SignatureProvided?: string;
  readonly AWSAccessKeyId?: string;
  readonly HeadersNotSigned?: string;
  readonly Region?: string;
}

/** A request (or a chunk of its body) that fails SigV4: malformed, unsigned, expired or mismatched. */
export class SigV4Error extends Error {
  /** The code the server answers with; its status comes from the registry. */
  readonly cosCode: CosErrorCode;
  /** Extra elements for the `<Error>` body. */
  readonly details: SigV4ErrorDetails | undefined;

  /**
   * @param cosCode - Registry code, e.g. `SignatureDoesNotMatch`.
   * @param message - What to change; sent as `<Message>`.
   * @param details - Extra `<Error>` elements (canonical request, string to sign, …).
   */
  constructor(cosCode: CosErrorCode, message: string, details?: SigV4ErrorDetails) {
    super(message);
    this.name = 'SigV4Error';
    this.cosCode = cosCode;
    this.details = details;
  }
}
