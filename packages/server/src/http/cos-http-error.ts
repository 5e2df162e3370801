import type { CosErrorCode } from '@coskit/protocol';

/** A request refused with a COS error code; rendered as an `<Error>` body by the dispatcher. */
export class CosHttpError extends Error {
  constructor(
    readonly code: CosErrorCode,
    message?: string,
    /** Extra `<Error>` children, e.g. StringToSign / FormatString for SignatureDoesNotMatch. */
    readonly extra?: Readonly<Record<string, string>>,
  ) {
    super(message ?? code);
  }
}
