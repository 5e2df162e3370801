/** Exit codes of every coskit command. */
export const EXIT = {
  /** Everything was done. */
  ok: 0,
  /** Some files (or the one object named) failed; each is listed with its reason. */
  partial: 1,
  /** Bad usage: nothing was attempted. */
  usage: 2,
  /** Nothing could be done: credentials refused, endpoint unreachable, bucket missing, server start. */
  fatal: 3,
  /** Interrupted (Ctrl-C); a transfer resumes when the same command runs again. */
  interrupted: 130,
} as const;

/** The help text every command shares. */
export const EXIT_CODES_HELP = `Exit codes:
  0    everything was done
  1    some files (or the object named) failed; each is listed with its reason
  2    bad usage; nothing was attempted
  3    nothing could be done (credentials refused, endpoint unreachable,
       no such bucket)
  130  interrupted (Ctrl-C); run the same command again to resume a transfer`;
