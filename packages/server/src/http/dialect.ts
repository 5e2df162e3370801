/**
 * Which dialect a request is answered in, and the two translations the S3 dialect needs, both driven by
 * the one table of `@coskit/protocol` (`S3_HEADER_EQUIVALENTS`):
 *
 * - **requests**: handlers only ever ask for `x-cos-*` names; in the S3 dialect {@link s3HeaderView}
 *   answers them from the `x-amz-*` header that stands for them, so `x-amz-meta-*`, `x-amz-acl`,
 *   `x-amz-copy-source`, … land on the same stored metadata as their `x-cos-*` twins;
 * - **responses**: {@link answerInDialect} renames the `x-cos-*` response headers a handler set to their
 *   `x-amz-*` names at the moment the head is written, and `sendXml`/`sendError` (responses.ts) write
 *   S3's declaration, namespace and `<Error>` form.
 *
 * No handler tests the dialect to pick a header name; the few behaviours that differ by dialect
 * (`If-None-Match: *` on writes, `CreateBucketConfiguration`) read `ctx.dialect`.
 */
import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  amzRequestHeaderFor,
  amzResponseHeaderFor,
  cosRequestHeaderFor,
  cosRequestValueFor,
} from '@coskit/protocol';

/** `cos`: q-sign or anonymous requests; `s3`: requests signed with AWS SigV4. */
export type Dialect = 'cos' | 's3';

const DIALECTS = new WeakMap<ServerResponse, Dialect>();

/** The dialect `res` answers in (`cos` unless {@link answerInDialect} said otherwise). */
export function dialectOf(res: ServerResponse): Dialect {
  return DIALECTS.get(res) ?? 'cos';
}

/** `x-cos-request-id` → `x-amz-request-id`, … for every header of `headers` the table renames. */
function renamed(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) out[amzResponseHeaderFor(name) ?? name] = value;
  return out;
}

/**
 * Makes `res` answer in `dialect`. For `s3` the response's `writeHead` (which Node also calls for an
 * implicit head) renames every `x-cos-*` header the table knows, whether it was set with `setHeader`
 * or passed to `writeHead`; headers S3 has no name for (`x-cos-hash-crc64ecma`) keep theirs.
 */
export function answerInDialect(res: ServerResponse, dialect: Dialect): void {
  DIALECTS.set(res, dialect);
  if (dialect !== 's3') return;
  const writeHead = res.writeHead;
  res.writeHead = function writeS3Head(this: ServerResponse, status: number, ...rest: unknown[]) {
    for (const name of this.getHeaderNames()) {
      const amz = amzResponseHeaderFor(name);
      if (amz === undefined) continue;
      const value = this.getHeader(name) as OutgoingHttpHeader;
      this.removeHeader(name);
      this.setHeader(amz, value);
    }
    const last = rest.length - 1;
    if (last >= 0 && typeof rest[last] === 'object' && rest[last] !== null && !Array.isArray(rest[last])) {
      rest[last] = renamed(rest[last] as OutgoingHttpHeaders);
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as typeof res.writeHead;
}

/** How handlers see the request's headers: by lower-case name, and the names present. */
export interface HeaderView {
  readonly header: (lowerName: string) => string | undefined;
  /** Lower-case names of the headers present, as `header` answers them (`x-amz-meta-a` as `x-cos-meta-a`). */
  readonly names: readonly string[];
}

/**
 * The S3 dialect's view of a SigV4 request's headers. An `x-cos-*` name the table maps is answered from
 * its `x-amz-*` header only (an `x-cos-acl` beside SigV4 is not read: S3 clients never send one, and an
 * intermediary could add it); an `x-cos-*` header S3 has no name for (`x-cos-forbid-overwrite`,
 * `x-cos-traffic-limit`) counts only when the signature covers it. Everything else reads through.
 */
export function s3HeaderView(
  base: (lowerName: string) => string | undefined,
  present: readonly string[],
  signed: readonly string[],
): HeaderView {
  const signedSet = new Set(signed);
  const header = (name: string): string | undefined => {
    if (!name.startsWith('x-cos-')) return base(name);
    const amz = amzRequestHeaderFor(name);
    if (amz !== undefined) {
      const value = base(amz);
      return value === undefined ? undefined : cosRequestValueFor(name, value);
    }
    return signedSet.has(name) ? base(name) : undefined;
  };
  const names: string[] = [];
  for (const name of present) {
    if (name.startsWith('x-amz-')) names.push(cosRequestHeaderFor(name) ?? name);
    else if (!name.startsWith('x-cos-') || header(name) !== undefined) names.push(name);
  }
  return { header, names };
}
