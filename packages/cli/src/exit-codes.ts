/** Exit codes of every coskit command. */
export const EXIT = {
  /** Everything was done. */
  ok: 0,
  /** Some files failed (listed, with reasons). */
  partial: 1,
  /** Bad usage: nothing was attempted. */
  usage: 2,
  /** Nothing could be done (authentication, endpoint, server start). */
  fatal: 3,
} as const;
