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
  ],
};

/** Full-jitter exponential backoff for attempt `n` (1-based: the wait before attempt n + 1). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
