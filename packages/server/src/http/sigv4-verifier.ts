/**
 * The second verifier (`SIGV4` in auth.ts's VERIFIERS, tried before q-sign): requests of the S3
 * dialect, signed with AWS Signature Version 4 in the `Authorization` header or a pre-signed URL. They
 * authenticate against the same credentials table as q-sign (SecretId = access key id, SecretKey =
 * secret access key, token = session token), for the region of the Host or of the server and the
 * service `s3`. The body is read through the payload decoder the signature calls for (and the
 * `x-amz-checksum-*` it declares), so a wrong `x-amz-content-sha256`, a forged aws-chunked chunk, a
 * wrong checksum or a short body fails inside the store's ingest and nothing is stored. The wire
 * rules are in `@coskit/protocol` (signature/sigv4/, checksum/); this file only connects them to
 * Node's request.
 */
import type { IncomingMessage } from 'node:http';
import {
  declaredChecksum,
  isSigV4Request,
  openPayload,
  type PayloadDecoder,
  SigV4Error,
  verifyingChecksum,
  verifySigV4Request,
} from '@coskit/protocol';
import type { Authentication, AuthInput, Credential, SignatureVerifier } from './auth.js';
import { CosHttpError } from './cos-http-error.js';
import { s3HeaderView } from './dialect.js';
import type { VerifiedChecksum } from './request-context.js';

/** Every header, lower-case name → values in arrival order, with `host` the addressed authority. */
function headerMap(req: IncomingMessage, host: string | undefined): Map<string, string[]> {
  const map = new Map(Object.entries(req.headersDistinct).map(([n, v]): [string, string[]] => [n, v ?? []]));
  if (host !== undefined) map.set('host', [host]);
  return map;
}

/** A protocol SigV4Error as the dispatcher renders errors: its code, message and extra `<Error>` elements. */
function httpErrorOf(err: SigV4Error): CosHttpError {
  const extra = Object.fromEntries(Object.entries(err.details ?? {}).filter(([, v]) => v !== undefined));
  return new CosHttpError(err.cosCode, err.message, Object.keys(extra).length > 0 ? extra : undefined);
}

/**
 * The payload bytes of `req` through `decoder`. When a check fails — or the consumer stops early — the
 * rest of the body is drained rather than the socket destroyed, so the error response still reaches
 * the client.
 */
async function* checkedPayload(req: IncomingMessage, decoder: PayloadDecoder): AsyncGenerator<Uint8Array> {
  let complete = false;
  try {
    for await (const chunk of req.iterator({ destroyOnReturn: false })) yield* decoder.push(chunk as Buffer);
    decoder.end();
    complete = true;
  } catch (err) {
    throw err instanceof SigV4Error ? httpErrorOf(err) : err;
  } finally {
    if (!complete && !req.readableEnded && !req.destroyed) req.resume();
  }
}

/**
 * Verifies a SigV4 request against the credentials table.
 * @throws CosHttpError with the S3 code (see `verifySigV4Request`).
 */
function verifySigV4(input: AuthInput, credentials: ReadonlyMap<string, Credential>): Authentication {
  const headers = headerMap(input.req, input.header('host'));
  let verified: ReturnType<typeof verifySigV4Request>;
  try {
    verified = verifySigV4Request(
      { method: input.method, rawPath: input.rawPath, query: input.query, headers },
      {
        nowMs: input.nowSeconds * 1000,
        region: input.region,
        secretFor: (id) => {
          const c = credentials.get(id);
          return c && { secretAccessKey: c.secretKey, sessionToken: c.token };
        },
      },
    );
  } catch (err) {
    throw err instanceof SigV4Error ? httpErrorOf(err) : err;
  }
  const { payload } = verified;
  const base = (name: string) => headers.get(name)?.join(', ');
  let decoder = openPayload(payload, verified.signing);
  // The x-amz-checksum-* the SDKs send by default (header or trailer) is verified on the same pass.
  // CompleteMultipartUpload's x-amz-checksum-* is the object's (checked by the handler), not its body's.
  const completesUpload = input.method === 'POST' && input.query.some(([name]) => name === 'uploadId');
  let checksum: ReturnType<typeof declaredChecksum>;
  try {
    checksum = completesUpload
      ? undefined
      : declaredChecksum(base, payload.kind === 'aws-chunked' ? payload.trailerNames : []);
  } catch (err) {
    throw err instanceof SigV4Error ? httpErrorOf(err) : err;
  }
  const verifiedChecksum: VerifiedChecksum | undefined = checksum && { algorithm: checksum.algorithm };
  if (checksum) {
    decoder = verifyingChecksum(decoder, checksum, (value) => {
      verifiedChecksum!.value = value;
    });
  }
  // `aws-chunked` names the framing, not the object's encoding: S3 does not store it.
  const raw =
    payload.kind === 'aws-chunked'
      ? (name: string) => {
          if (name !== 'content-encoding') return base(name);
          const rest = (base(name) ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '' && s.toLowerCase() !== 'aws-chunked');
          return rest.length > 0 ? rest.join(', ') : undefined;
        }
      : base;
  const view = s3HeaderView(raw, [...headers.keys()], verified.signedHeaders);
  return {
    principal: { kind: 'key', secretId: verified.credential.accessKeyId },
    body: {
      stream: checkedPayload(input.req, decoder),
      decodedLength: payload.kind === 'aws-chunked' ? payload.decodedLength : undefined,
      verifiedChecksum,
    },
    header: view.header,
    headerNames: view.names,
  };
}

/**
 * AWS SigV4: claims an `Authorization` of the `AWS4-…` family and pre-signed URLs carrying
 * `X-Amz-Algorithm`, `X-Amz-Credential` or `X-Amz-Signature`.
 */
export const SIGV4: SignatureVerifier = {
  name: 'sigv4',
  dialect: 's3',
  matches: (input) => {
    const auth = input.header('authorization');
    return isSigV4Request({
      headers: new Map(auth === undefined ? [] : [['authorization', [auth]]]),
      query: input.query,
    });
  },
  verify: verifySigV4,
};
