/** Retry policy as data: which failures are retried, how often, and how long to wait. */

export interface RetryPolicy {
  /** Total attempts, including the first. Default 4. */
  readonly maxAttempts: number;
  /** First backoff, ms; doubles each attempt. Default 200 ms. */
  readonly baseDelayMs: number;
  /** Backoff ceiling, ms. Default 5000 ms. */
  readonly maxDelayMs: number;
  /** Retried HTTP statuses. Default 429, 500, 502, 503, 504. */
  readonly statuses: readonly number[];
  /** Retried COS error codes (also inside a 200 body of Complete/Copy). */
  readonly errorCodes: readonly string[];
  /** Retried socket error codes. */
  readonly networkCodes: readonly string[];
  /**
   * Longest `Retry-After` (of a 429 / 503) waited for, ms; an answer asking for longer is not
   * retried but thrown. Default 30 000 ms.
   */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5000,
  statuses: [429, 500, 502, 503, 504],
  errorCodes: ['InternalError', 'SlowDown', 'ServiceUnavailable', 'RequestTimeout'],
  networkCodes: [
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'ECONNREFUSED',
    'ECONNABORTED',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'COS_TIMEOUT',
    // A browser tells no more than "the request failed" (browser/fetch-sender.ts).
    'BROWSER_NETWORK',
  ],
  maxRetryAfterMs: 30_000,
};

/** Socket failures after which a request cannot have reached the server (no connection was made). */
export const UNSENT_NETWORK_CODES: readonly string[] = ['ECONNREFUSED', 'EAI_AGAIN'];

/** Statuses by which a server refuses a request without processing it (throttling). */
export const UNPROCESSED_STATUSES: readonly number[] = [429, 503];

/**
 * Full-jitter exponential backoff for attempt `n` (1-based: the wait before attempt n + 1): a
 * uniform random wait from 0 to `min(maxDelayMs, baseDelayMs × 2^(n-1))`, so that many clients
 * that failed together do not retry together.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/**
 * The wait a `Retry-After` header asks for, ms (delay-seconds or an HTTP date, RFC 9110 §10.2.3);
 * undefined when absent or unreadable.
 */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
