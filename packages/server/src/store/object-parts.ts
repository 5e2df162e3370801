/**
 * What a multipart object keeps of its parts, backend-neutral: each part's size and — when its upload
 * had an S3 checksum — the part's checksum, in one internal stored header written by Complete
 * (`x-coskit-parts`: `<size>[:<base64>]` per part, comma-separated; base64 has neither character).
 * It serves S3's part reads (GET/HEAD `?partNumber=`) and GetObjectAttributes' ObjectParts. Cost: about
 * 8 bytes a part in the object's record, 55 with a SHA-256 checksum. Objects completed before it
 * existed, copies and single PUTs have none: they read as one part.
 */
import type { StoredHeaders } from './store.js';

const PARTS_HEADER = 'x-coskit-parts';

/** One part of a multipart object. */
export interface ObjectPart {
  /** Bytes. */
  readonly size: number;
  /** The part's S3 checksum (base64, the object's algorithm), when its upload had one. */
  readonly checksum?: string | undefined;
}

/** The stored header that records `parts`. */
export function objectPartsHeaders(parts: readonly ObjectPart[]): StoredHeaders {
  return {
    [PARTS_HEADER]: parts
      .map((p) => (p.checksum === undefined ? `${p.size}` : `${p.size}:${p.checksum}`))
      .join(','),
  };
}

/** The parts an object's headers record, in order; undefined for an object that keeps none. */
export function objectPartsOf(headers: StoredHeaders): ObjectPart[] | undefined {
  const raw = headers[PARTS_HEADER];
  if (raw === undefined || raw === '') return undefined;
  return raw.split(',').map((entry) => {
    const colon = entry.indexOf(':');
    return colon < 0
      ? { size: Number(entry) }
      : { size: Number(entry.slice(0, colon)), checksum: entry.slice(colon + 1) };
  });
}
