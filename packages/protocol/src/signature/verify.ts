/**
 * Server side of the q-sign scheme: rebuild the canonical strings from exactly the names the
 * client listed in `q-header-list` / `q-url-param-list`, then compare signatures in constant time.
 */
import { decodeComponent, encodeRfc3986 } from '../url-encoding.js';
import { parseTimeWindow, type QSignFields } from './authorization.js';
import { canonicalize, httpString, type Pair, stringToSign } from './canonical.js';
import { constantTimeEqual, signature, signKey } from './keys.js';

/** The request as the server received it. */
export interface ReceivedRequest {
  readonly method: string;
  /** Decoded key path with its leading `/`. */
  readonly pathname: string;
  /** Decoded query parameters, in order, duplicates kept. */
  readonly query: readonly Pair[];
  /** Header lookup by lower-case name; undefined when absent. */
  readonly header: (lowerName: string) => string | undefined;
}

/** Outcome of a signature check; on mismatch carries the strings for the error body. */
export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly stringToSign: string; readonly formatString: string };

function listedNames(list: string): string[] {
  return list === '' ? [] : list.split(';').filter((n) => n !== '');
}

/** Picks, for each listed (encoded, lower-cased) name, the value the request carries. */
function listedParams(list: string, query: readonly Pair[]): Pair[] {
  return listedNames(list).map((listed): Pair => {
    const found = query.find(([name]) => encodeRfc3986(name).toLowerCase() === listed);
    return found ?? [decodeComponent(listed) ?? listed, ''];
  });
}

function listedHeaders(list: string, header: ReceivedRequest['header']): Pair[] {
  return listedNames(list).map((listed): Pair => {
    const name = decodeComponent(listed) ?? listed;
    return [name, header(name) ?? ''];
  });
}

/** Verifies `fields.signature` against the request and the SecretKey of `fields.ak`. */
export function verifySignature(
  fields: QSignFields,
  secretKey: string,
  req: ReceivedRequest,
): SignatureCheck {
  const params = canonicalize(listedParams(fields.urlParamList, req.query));
  const headers = canonicalize(listedHeaders(fields.headerList, req.header));
  const formatString = httpString(req.method, req.pathname, params, headers);
  const toSign = stringToSign(fields.signTime, formatString);
  const expected = signature(signKey(secretKey, fields.keyTime), toSign);
  if (constantTimeEqual(expected, fields.signature.toLowerCase())) return { ok: true };
  return { ok: false, stringToSign: toSign, formatString };
}

/** Result of checking `q-sign-time` against the server clock. */
export type TimeWindowCheck = 'ok' | 'malformed' | 'expired' | 'not-yet-valid';

/**
 * Checks the signature's validity windows: both `q-sign-time` and `q-key-time` must contain now.
 * `allowedSkewSeconds` tolerates a client clock running ahead of ours (a window that starts
 * slightly in the future).
 */
export function checkSignTime(
  fields: QSignFields,
  nowSeconds: number,
  allowedSkewSeconds = 900,
): TimeWindowCheck {
  const sign = parseTimeWindow(fields.signTime);
  const key = parseTimeWindow(fields.keyTime);
  if (!sign || !key) return 'malformed';
  if (nowSeconds > sign.end || nowSeconds > key.end) return 'expired';
  if (Math.max(sign.start, key.start) > nowSeconds + allowedSkewSeconds) return 'not-yet-valid';
  return 'ok';
}
