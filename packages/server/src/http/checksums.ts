/**
 * The `x-amz-checksum-*` of a PUT Object, kept with the object and answered on GET/HEAD when the client
 * asks (`x-amz-checksum-mode: ENABLED`), as S3 does. The value stored is the one the body was verified
 * against while it streamed (sigv4-verifier.ts), so a stored checksum is always the object's; it lives in
 * an internal stored header (`x-coskit-checksum-<algorithm>`, never sent as such).
 */
import { AWS_CHECKSUM_ALGORITHMS, checksumHeaderName } from '@coskit/protocol';
import type { ObjectInfo, StoredHeaders } from '../store/store.js';
import type { RequestContext } from './request-context.js';
import { INTERNAL_HEADER_PREFIX } from './restore-state.js';

const storedName = (algorithm: string) => `${INTERNAL_HEADER_PREFIX}checksum-${algorithm}`;

/** For `IncomingBody.headersAtEnd`: the verified checksum as a stored header (none without one). */
export function checksumHeadersAtEnd(ctx: RequestContext): (() => StoredHeaders) | undefined {
  const verified = ctx.body.verifiedChecksum;
  if (!verified) return undefined;
  return () => (verified.value === undefined ? {} : { [storedName(verified.algorithm)]: verified.value });
}

/**
 * The checksum headers of a response that carries the whole object, when the request says
 * `x-amz-checksum-mode: ENABLED`: `x-amz-checksum-<algorithm>` and `x-amz-checksum-type: FULL_OBJECT`.
 */
export function checksumResponseHeaders(ctx: RequestContext, record: ObjectInfo): Record<string, string> {
  if (ctx.header('x-amz-checksum-mode')?.trim().toUpperCase() !== 'ENABLED') return {};
  for (const algorithm of AWS_CHECKSUM_ALGORITHMS) {
    const value = record.headers[storedName(algorithm)];
    if (value !== undefined) {
      return { [checksumHeaderName(algorithm)]: value, 'x-amz-checksum-type': 'FULL_OBJECT' };
    }
  }
  return {};
}

/** The verified checksum echoed by PUT Object and Upload Part, as S3 answers them (none without one). */
export function verifiedChecksumHeaders(ctx: RequestContext): Record<string, string> {
  const verified = ctx.body.verifiedChecksum;
  if (verified?.value === undefined) return {};
  return { [checksumHeaderName(verified.algorithm)]: verified.value };
}
