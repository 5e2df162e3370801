/** The `Authorization` value of the q-sign scheme: its seven fields, formatted and parsed. */

/** The seven fields, in the order COS expects them. */
export interface QSignFields {
  /** Always `sha1`. */
  readonly algorithm: string;
  /** The SecretId. */
  readonly ak: string;
  /** `<start>;<end>` Unix seconds: the window in which the request is valid. */
  readonly signTime: string;
  /** `<start>;<end>` Unix seconds: the window the SignKey was derived for. */
  readonly keyTime: string;
  /** Encoded, lower-cased header names joined by `;`. */
  readonly headerList: string;
  /** Encoded, lower-cased query parameter names joined by `;`. */
  readonly urlParamList: string;
  /** 40 lowercase hex characters. */
  readonly signature: string;
}

/** Field name ↔ key in the Authorization string / pre-signed query. */
export const QSIGN_PARAM_NAMES = {
  algorithm: 'q-sign-algorithm',
  ak: 'q-ak',
  signTime: 'q-sign-time',
  keyTime: 'q-key-time',
  headerList: 'q-header-list',
  urlParamList: 'q-url-param-list',
  signature: 'q-signature',
} as const satisfies Record<keyof QSignFields, string>;

const FIELD_ORDER = Object.keys(QSIGN_PARAM_NAMES) as (keyof QSignFields)[];

/** Formats the fields as the `Authorization` header value. */
export function formatAuthorization(fields: QSignFields): string {
  return FIELD_ORDER.map((f) => `${QSIGN_PARAM_NAMES[f]}=${fields[f]}`).join('&');
}

/**
 * Reads the fields from a lookup (the Authorization string's pairs or a pre-signed URL's query).
 * Returns undefined when any field is missing. `;` may arrive percent-encoded (`%3B`, Python's
 * pre-signed URLs) — the caller passes decoded values.
 */
export function readQSignFields(get: (name: string) => string | undefined): QSignFields | undefined {
  const out: Partial<Record<keyof QSignFields, string>> = {};
  for (const f of FIELD_ORDER) {
    const v = get(QSIGN_PARAM_NAMES[f]);
    if (v === undefined) return undefined;
    out[f] = v;
  }
  return out as QSignFields;
}

/** The outcome of reading the q-sign fields exactly (see {@link readQSignPairs}). */
export type QSignRead =
  | { readonly ok: true; readonly fields: QSignFields }
  | { readonly ok: false; readonly problem: 'missing' | 'repeated'; readonly field: string };

const FIELD_BY_PARAM: ReadonlyMap<string, keyof QSignFields> = new Map(
  FIELD_ORDER.map((f) => [QSIGN_PARAM_NAMES[f], f] as const),
);

/**
 * Reads the seven fields from name/value pairs, exactly as sent: names are matched as the SDKs
 * write them (lower case), values are neither trimmed nor otherwise changed (so `q-ak=AKID ` names
 * a different key), and a field given twice is refused rather than "last one wins". Other names
 * are ignored (a pre-signed URL's own parameters).
 */
export function readQSignPairs(pairs: Iterable<readonly [string, string]>): QSignRead {
  const out: Partial<Record<keyof QSignFields, string>> = {};
  for (const [name, value] of pairs) {
    const field = FIELD_BY_PARAM.get(name);
    if (field === undefined) continue;
    if (out[field] !== undefined) return { ok: false, problem: 'repeated', field: name };
    out[field] = value;
  }
  for (const f of FIELD_ORDER) {
    if (out[f] === undefined) return { ok: false, problem: 'missing', field: QSIGN_PARAM_NAMES[f] };
  }
  return { ok: true, fields: out as QSignFields };
}

/** Splits an `Authorization` value into its `name=value` pairs (no trimming, duplicates kept). */
export function authorizationPairs(value: string): [string, string][] {
  return value.split('&').map((part): [string, string] => {
    const eq = part.indexOf('=');
    return eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
  });
}

/** Reads an `Authorization` header value exactly (see {@link readQSignPairs}). */
export function readAuthorization(value: string): QSignRead {
  return readQSignPairs(authorizationPairs(value));
}

/** Parses an `Authorization` header value; undefined if it is not exactly one complete q-sign value. */
export function parseAuthorization(value: string): QSignFields | undefined {
  const read = readAuthorization(value);
  return read.ok ? read.fields : undefined;
}

/** Parses `<start>;<end>` into numbers (Unix seconds), or undefined if malformed. */
export function parseTimeWindow(value: string): { start: number; end: number } | undefined {
  const m = /^(\d{1,12});(\d{1,12})$/.exec(value);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  return start <= end ? { start, end } : undefined;
}
