/** What every handler receives: the parsed request, its identity, and the response to write. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pair } from '@coskit/protocol';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.js';
import type { Store } from '../store/store.js';
import type { Principal } from './auth.js';

export interface RequestContext {
  readonly req: IncomingMessage;
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
  /** Request header by lower-case name. */
  readonly header: (lowerName: string) => string | undefined;
  readonly principal: Principal;
  /** `<bucket>.cos.<region>.myqcloud.com/<key>` for `<Error><Resource>`. */
  readonly resource: string;
}
