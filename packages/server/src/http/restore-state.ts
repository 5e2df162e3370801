/**
 * The restore state of ARCHIVE / DEEP_ARCHIVE objects (POST Object restore, doc 12633). It lives in
 * two internal stored headers — when the restored copy becomes readable and when it expires (Unix
 * ms) — which HEAD/GET never send as such: HEAD answers `x-cos-restore`, GET refuses a cold object
 * that is not readable with 403 `InvalidObjectState`. An overwrite (new headers) forgets it.
 */
import { formatRestoreHeader, isColdStorageClass } from '@coskit/protocol';
import type { ObjectInfo, StoredHeaders } from '../store/store.js';
import { CosHttpError } from './cos-http-error.js';

/** Prefix of stored headers that are server state, never answered as headers. */
export const INTERNAL_HEADER_PREFIX = 'x-coskit-';
const READY_AT = `${INTERNAL_HEADER_PREFIX}restore-ready`;
const EXPIRES_AT = `${INTERNAL_HEADER_PREFIX}restore-expiry`;

export type RestoreState =
  | { readonly kind: 'none' }
  | { readonly kind: 'ongoing'; readonly readyAt: number; readonly expiresAt: number }
  | { readonly kind: 'restored'; readonly expiresAt: number };

/** Whether an object needs a restore before it can be read. */
export function isCold(info: ObjectInfo): boolean {
  return isColdStorageClass(info.headers['x-cos-storage-class'] ?? 'STANDARD');
}

/** Where a cold object's restore stands at `now` (an expired copy counts as none). */
export function restoreStateOf(headers: StoredHeaders, now: number = Date.now()): RestoreState {
  const readyAt = Number(headers[READY_AT]);
  const expiresAt = Number(headers[EXPIRES_AT]);
  if (!Number.isFinite(readyAt) || !Number.isFinite(expiresAt) || now >= expiresAt) return { kind: 'none' };
  return now < readyAt ? { kind: 'ongoing', readyAt, expiresAt } : { kind: 'restored', expiresAt };
}

/** `headers` with a restore that is readable from `readyAt` until `expiresAt`. */
export function withRestore(headers: StoredHeaders, readyAt: number, expiresAt: number): StoredHeaders {
  return { ...headers, [READY_AT]: String(readyAt), [EXPIRES_AT]: String(expiresAt) };
}

/** 403 InvalidObjectState for a cold object whose restored copy is not readable now. */
export function requireReadable(info: ObjectInfo): void {
  if (isCold(info) && restoreStateOf(info.headers).kind !== 'restored') {
    throw new CosHttpError(
      'InvalidObjectState',
      'The object is in ARCHIVE or DEEP_ARCHIVE storage: restore it with POST Object restore first.',
    );
  }
}

/** The `x-cos-restore` header HEAD answers for a cold object with a restore, if any. */
export function restoreHeaderOf(info: ObjectInfo): string | undefined {
  if (!isCold(info)) return undefined;
  const state = restoreStateOf(info.headers);
  if (state.kind === 'none') return undefined;
  return formatRestoreHeader(state.kind === 'ongoing' ? undefined : new Date(state.expiresAt));
}
