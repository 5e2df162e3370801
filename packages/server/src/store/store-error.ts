import type { CosErrorCode } from '@coskit/protocol';

/** A refusal decided inside the store (e.g. inside a transaction), carrying its COS code. */
export class StoreError extends Error {
  constructor(
    readonly code: CosErrorCode,
    message?: string,
  ) {
    super(message ?? code);
  }
}
