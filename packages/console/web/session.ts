/**
 * The signed-in key pair. It lives in `sessionStorage` only: it is gone when the tab closes, is
 * never written to `localStorage`, a cookie or the server, and each tab signs in on its own.
 */

export interface ConsoleCredentials {
  readonly secretId: string;
  readonly secretKey: string;
}

const KEY = 'coskit-console-credentials';

export function loadCredentials(): ConsoleCredentials | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    const value = raw ? (JSON.parse(raw) as Partial<ConsoleCredentials>) : undefined;
    return typeof value?.secretId === 'string' && typeof value.secretKey === 'string'
      ? { secretId: value.secretId, secretKey: value.secretKey }
      : undefined;
  } catch {
    return undefined; // storage disabled or a damaged entry: sign in again
  }
}

export function saveCredentials(credentials: ConsoleCredentials): void {
  sessionStorage.setItem(KEY, JSON.stringify(credentials));
}

export function clearCredentials(): void {
  sessionStorage.removeItem(KEY);
}
