/** Client side of the q-sign scheme: build the Authorization value for a request. */
import { formatAuthorization, type QSignFields } from './authorization.js';
import { canonicalize, httpString, type Pair, stringToSign } from './canonical.js';
import { signature, signKey } from './keys.js';

/**
 * Standard headers that take part in the signature when present (the official SDKs' list).
 * Any `x-cos-*` or `x-ci-*` header is signed too. `User-Agent`, `Date`, `Connection` are not.
 */
export const SIGNED_STANDARD_HEADERS: ReadonlySet<string> = new Set([
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-length',
  'content-md5',
  'content-type',
  'expect',
  'expires',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-unmodified-since',
  'origin',
  'range',
  'transfer-encoding',
  'pic-operations',
]);

/** Whether a header (any case) is one the client signs. */
export function isSignedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('x-cos-') || lower.startsWith('x-ci-') || SIGNED_STANDARD_HEADERS.has(lower);
}

/** A query or header value as callers hold it; null/undefined sign as the empty string. */
export type SignValue = string | number | boolean | null | undefined;

/** What to sign. */
export interface SignInput {
  readonly secretId: string;
  readonly secretKey: string;
  /** HTTP method, any case. */
  readonly method: string;
  /** Decoded object key with its leading `/` (`/` for bucket-level requests). Not URL-encoded. */
  readonly pathname: string;
  /** Query parameters sent with the request, including empty action keys like `uploads`. */
  readonly query?: Readonly<Record<string, SignValue>> | Iterable<Pair>;
  /** Request headers; only those {@link isSignedHeader} accepts are signed. */
  readonly headers?: Readonly<Record<string, SignValue>>;
  /** Explicit `<start>;<end>` window (Unix seconds); overrides `startTime`/`expires`. */
  readonly keyTime?: string;
  /** Window start, Unix seconds. Default: now − 60 s (tolerates a server clock that is behind). */
  readonly startTime?: number;
  /** Window length, seconds. Default 900. */
  readonly expires?: number;
  /** Clock source in milliseconds (lets callers apply a server clock offset). Default `Date.now`. */
  readonly now?: () => number;
}

function toPairs(source: SignInput['query'] | SignInput['headers'], filter?: (n: string) => boolean): Pair[] {
  if (!source) return [];
  const entries: Iterable<readonly [string, SignValue]> =
    Symbol.iterator in source ? (source as Iterable<Pair>) : Object.entries(source);
  const pairs: Pair[] = [];
  for (const [name, value] of entries) {
    if (filter && !filter(name)) continue;
    pairs.push([name, value === undefined || value === null ? '' : String(value)]);
  }
  return pairs;
}

/** The default key time window: `now − 60 ; now + expires` (seconds). */
export function defaultKeyTime(input: Pick<SignInput, 'startTime' | 'expires' | 'now'>): string {
  const nowSeconds = Math.floor((input.now ?? Date.now)() / 1000);
  const start = input.startTime ?? nowSeconds - 60;
  const end = (input.startTime ?? nowSeconds) + (input.expires ?? 900);
  return `${start};${end}`;
}

/** Computes the seven Authorization fields for a request. */
export function computeQSign(input: SignInput): QSignFields {
  const keyTime = input.keyTime ?? defaultKeyTime(input);
  const params = canonicalize(toPairs(input.query));
  const headers = canonicalize(toPairs(input.headers, isSignedHeader));
  const toSign = stringToSign(keyTime, httpString(input.method, input.pathname, params, headers));
  return {
    algorithm: 'sha1',
    ak: input.secretId,
    signTime: keyTime,
    keyTime,
    headerList: headers.names,
    urlParamList: params.names,
    signature: signature(signKey(input.secretKey, keyTime), toSign),
  };
}

/** The `Authorization` header value for a request. */
export function signRequest(input: SignInput): string {
  return formatAuthorization(computeQSign(input));
}
