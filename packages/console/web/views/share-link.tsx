/**
 * A share link: a pre-signed GET (q-sign in the query, made in the page by the client) that anyone
 * can open until it expires, with a copy button. Nothing is sent to the server to make one.
 */
import { useState } from 'preact/hooks';
import { announce } from '../announce.js';
import type { Cos } from '../cos.js';
import { ErrorNote } from './error-note.js';

/** Expiry choices, seconds. */
const EXPIRIES: readonly [label: string, seconds: number][] = [
  ['15 minutes', 15 * 60],
  ['1 hour', 3600],
  ['1 day', 86_400],
  ['7 days', 7 * 86_400],
];

export function ShareLink({ client, bucket, objectKey }: { client: Cos; bucket: string; objectKey: string }) {
  const [expires, setExpires] = useState(3600);
  const [url, setUrl] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [copied, setCopied] = useState(false);

  const create = async () => {
    setError(undefined);
    setCopied(false);
    try {
      setUrl(
        await client.getPresignedUrl({ Bucket: bucket, Key: objectKey, Method: 'GET', Expired: expires }),
      );
    } catch (err) {
      setError(err);
    }
  };

  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // No clipboard permission (e.g. not a secure origin): select it for Ctrl+C instead.
      const field = document.getElementById('share-url') as HTMLInputElement | null;
      field?.select();
      if (!document.execCommand?.('copy')) {
        announce('Select the link and copy it with Ctrl+C');
        return;
      }
    }
    setCopied(true);
    announce('Share link copied');
  };

  return (
    <section class="share" aria-labelledby="share-title">
      <h2 id="share-title">Share link</h2>
      <div class="toolbar">
        <label>
          Valid for
          <select
            name="expires"
            value={expires}
            onChange={(e) => {
              setExpires(Number(e.currentTarget.value));
              setUrl(undefined);
            }}
          >
            {EXPIRIES.map(([label, seconds]) => (
              <option key={seconds} value={seconds}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void create()}>
          Create link
        </button>
      </div>
      <ErrorNote error={error} />
      {url && (
        <div class="share-url">
          <label>
            Link
            <input id="share-url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <button type="button" class="primary" onClick={() => void copy()}>
            {copied ? 'Copied' : 'Copy'}
          </button>
        </div>
      )}
    </section>
  );
}
