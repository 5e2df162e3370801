/**
 * Who signs a request: the SDK with keys it holds (fixed keys, or a `Credentials` provider such as
 * STS temporary keys, cached and asked again 60 s before they expire), or — in a web page that
 * must hold no key — the page's own backend through `getAuthorization`, which answers either with
 * the Authorization of that one request or with temporary keys the SDK then signs with until they
 * expire (the two answers of cos-js-sdk-v5's `getAuthorization`).
 */
import { REQUEST_HEADERS, signRequest } from '@coskit/protocol';
import type { AuthorizationRequest, AuthorizationResult, CosConfig, Credentials } from '../config.js';
import { CosClientError } from '../errors.js';

/** Keys are asked for again this long before they expire, ms. */
const REFRESH_BEFORE_MS = 60_000;

/** What to sign: the request as it will be sent. */
export interface SigningInput {
  readonly method: string;
  readonly bucket: string | undefined;
  readonly key: string;
  /** Decoded path the signature covers. */
  readonly pathname: string;
  readonly query: Record<string, string>;
  /** Lower-case names; the security-token header is added here when keys carry one. */
  readonly headers: Record<string, string>;
}

/** A signature for one request, or the keys to make one. */
export type Signing =
  | { readonly kind: 'keys'; readonly keys: Credentials }
  | { readonly kind: 'authorization'; readonly authorization: string; readonly token: string | undefined };

export class Authorizer {
  #cached: Credentials | undefined;

  constructor(
    readonly config: CosConfig,
    /** Server time − local time, ms, read at each signing. */
    readonly clockOffsetMs: () => number,
  ) {}

  /**
   * The keys to sign with, from the cache while they are fresh. With `getAuthorization`, only when
   * the backend answered with temporary keys; a backend that signs each request gives none (then
   * pre-signed URLs come from it too, and `buildPostPolicy` needs keys).
   */
  async keys(input?: SigningInput): Promise<Credentials> {
    const signing = await this.#signing(input);
    if (signing.kind === 'keys') return signing.keys;
    throw new CosClientError(
      'COS_INVALID_ARGUMENT',
      'getAuthorization answered with an Authorization, not keys: this call needs keys (TmpSecretId, TmpSecretKey, SecurityToken, ExpiredTime) from it.',
    );
  }

  /** Keys, or the backend's signature of exactly `input`. */
  async signing(input: SigningInput): Promise<Signing> {
    return this.#signing(input);
  }

  /** Adds the security-token header and returns the Authorization of `input` (its headers as given). */
  async authorize(input: SigningInput): Promise<string> {
    const signing = await this.#signing(input);
    if (signing.kind === 'authorization') {
      // The backend signed the headers it was shown; the token travels beside its signature.
      if (signing.token) input.headers[REQUEST_HEADERS.securityToken] = signing.token;
      return signing.authorization;
    }
    const keys = signing.keys;
    if (keys.Token) input.headers[REQUEST_HEADERS.securityToken] = keys.Token;
    return signRequest({
      secretId: keys.SecretId,
      secretKey: keys.SecretKey,
      method: input.method,
      pathname: input.pathname,
      query: input.query,
      headers: input.headers,
      expires: this.config.signExpires,
      now: () => Date.now() + this.clockOffsetMs(),
    });
  }

  async #signing(input: SigningInput | undefined): Promise<Signing> {
    const c = this.#cached;
    if (c && (c.ExpiredTime === undefined || c.ExpiredTime - REFRESH_BEFORE_MS > Date.now())) {
      return { kind: 'keys', keys: c };
    }
    const ask = this.config.getAuthorization;
    if (!ask) {
      const keys = await this.config.credentials();
      if (!keys?.SecretId || !keys.SecretKey)
        throw new CosClientError(
          'COS_INVALID_ARGUMENT',
          'the Credentials provider returned no SecretId/SecretKey',
        );
      this.#cached = keys;
      return { kind: 'keys', keys };
    }
    const request: AuthorizationRequest = {
      Bucket: input?.bucket,
      Region: this.config.region,
      Method: (input?.method ?? 'GET').toLowerCase(),
      Pathname: input?.pathname ?? '/',
      Key: input?.key ?? '',
      Query: { ...input?.query },
      Headers: { ...input?.headers },
    };
    const answer = await callGetAuthorization(ask, request);
    if (typeof answer?.Authorization === 'string' && answer.Authorization !== '') {
      return {
        kind: 'authorization',
        authorization: answer.Authorization,
        token: answer.SecurityToken || answer.XCosSecurityToken || undefined,
      };
    }
    if (answer?.TmpSecretId && answer.TmpSecretKey) {
      const keys: Credentials = {
        SecretId: answer.TmpSecretId,
        SecretKey: answer.TmpSecretKey,
        Token: answer.SecurityToken || answer.XCosSecurityToken || undefined,
        // cos-js-sdk-v5 (and STS) give ExpiredTime in Unix seconds.
        ExpiredTime: answer.ExpiredTime !== undefined ? answer.ExpiredTime * 1000 : undefined,
      };
      this.#cached = keys;
      return { kind: 'keys', keys };
    }
    throw new CosClientError(
      'COS_INVALID_ARGUMENT',
      'getAuthorization must answer { Authorization, SecurityToken? } or { TmpSecretId, TmpSecretKey, SecurityToken, ExpiredTime }.',
    );
  }
}

/** Either answer's fields, each maybe missing (the backend is not ours to trust). */
type AnyAnswer = Partial<
  Extract<AuthorizationResult, { Authorization: string }> &
    Extract<AuthorizationResult, { TmpSecretId: string }>
>;

/** Calls `getAuthorization` as cos-js-sdk-v5 does (a callback), or awaits the promise it returns. */
function callGetAuthorization(
  ask: NonNullable<CosConfig['getAuthorization']>,
  request: AuthorizationRequest,
): Promise<AnyAnswer | undefined> {
  return new Promise((resolve, reject) => {
    try {
      const returned = ask(request, (result) => resolve(result as never));
      if (returned && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<AuthorizationResult>).then((r) => resolve(r as never), reject);
      }
    } catch (err) {
      reject(err);
    }
  });
}
