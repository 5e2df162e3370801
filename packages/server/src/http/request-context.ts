/** What every handler receives: the parsed request, its identity, and the response to write. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsChecksumAlgorithm, Pair } from '@coskit/protocol';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.js';
import type { Store } from '../store/store.js';
import type { Principal } from './auth.js';
import type { Dialect } from './dialect.js';

/** The request's payload as its signature vouches for it. */
export interface RequestBody {
  /**
   * The bytes: the request itself (q-sign), or for SigV4 the payload decoded from its framing and
   * checked as it streams; a failed check throws from the iteration.
   */
  readonly stream: AsyncIterable<Uint8Array>;
  /** The payload length when the framing declares it (`x-amz-decoded-content-length`); else Content-Length. */
  readonly decodedLength?: number | undefined;
  /**
   * The `x-amz-checksum-*` the stream verifies as it ends (a mismatch throws from the iteration): it
   * stands in for Content-MD5 where a call requires one (Delete Multiple Objects), as in S3, and
   * PUT Object stores it. `value` (base64) is set once the stream has ended and the check passed.
   */
  readonly verifiedChecksum?: VerifiedChecksum | undefined;
}

/** A checksum the body is verified against; `value` appears when the body has been read and matched. */
export interface VerifiedChecksum {
  readonly algorithm: AwsChecksumAlgorithm;
  value?: string;
}

export interface RequestContext {
  readonly req: IncomingMessage;
  /** Read request bodies from here, not from `req`. */
  readonly body: RequestBody;
  readonly res: ServerResponse;
  readonly store: Store;
  readonly config: ServerConfig;
  readonly log: Logger;
  readonly requestId: string;
  readonly method: string;
  readonly bucket: string | undefined;
  /** Decoded object key; '' for bucket-level requests. */
  readonly key: string;
  readonly region: string;
  /** Decoded query parameters, in order. */
  readonly query: readonly Pair[];
  /** First value of a query parameter (exact, case-sensitive name), or undefined. */
  readonly param: (name: string) => string | undefined;
  /** Whether the query names a parameter (with or without a value). */
  readonly has: (name: string) => boolean;
  /** Request header by lower-case name; in the S3 dialect `x-cos-*` names read their `x-amz-*` twins (dialect.ts). */
  readonly header: (lowerName: string) => string | undefined;
  /** Lower-case names of the request's headers, as {@link header} answers them. */
  readonly headerNames: readonly string[];
  /** The dialect the request is answered in: `s3` when it is signed with SigV4. */
  readonly dialect: Dialect;
  readonly principal: Principal;
  /** `<bucket>.cos.<region>.myqcloud.com/<key>` for `<Error><Resource>`. */
  readonly resource: string;
}
