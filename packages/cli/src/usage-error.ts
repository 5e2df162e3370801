/** A bad argument found after parsing (e.g. a value out of range): exit code 2, before any I/O. */
export class UsageError extends Error {}
