/**
 * Sign in with a SecretId/SecretKey (checked by listing buckets before it is kept), or with the
 * development pair when the server says it accepts it. The pair is kept in this tab's
 * sessionStorage only (session.ts).
 */
import { useState } from 'preact/hooks';
import { connect } from '../cos.js';
import type { ServerConfig } from '../server-config.js';
import type { ConsoleCredentials } from '../session.js';
import { ErrorNote } from './error-note.js';
import { Heading } from './heading.js';

export function SignIn({
  server,
  onSignedIn,
}: {
  server: ServerConfig;
  onSignedIn: (credentials: ConsoleCredentials) => void;
}) {
  const [secretId, setSecretId] = useState('');
  const [secretKey, setSecretKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const signIn = async (credentials: ConsoleCredentials) => {
    setBusy(true);
    setError(undefined);
    try {
      // A wrong pair fails here (SignatureDoesNotMatch / InvalidAccessKeyId), not on the next page.
      const client = connect(credentials, server.region);
      await client.listBuckets();
      client.destroy();
      onSignedIn(credentials);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <Heading focusKey="sign-in">Sign in to coskit</Heading>
      <p class="hint">
        Your key pair stays in this browser tab (session storage, gone when the tab closes). The SecretKey
        signs each request in the page and is never sent.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void signIn({ secretId: secretId.trim(), secretKey });
        }}
      >
        <label>
          SecretId
          <input
            name="secretId"
            autoComplete="username"
            required
            spellcheck={false}
            value={secretId}
            onInput={(e) => setSecretId(e.currentTarget.value)}
          />
        </label>
        <label>
          SecretKey
          <input
            name="secretKey"
            type="password"
            autoComplete="current-password"
            required
            value={secretKey}
            onInput={(e) => setSecretKey(e.currentTarget.value)}
          />
        </label>
        <ErrorNote error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          {server.developmentCredential && (
            <button type="button" disabled={busy} onClick={() => void signIn(server.developmentCredential!)}>
              Use the development key pair
            </button>
          )}
        </div>
      </form>
      {server.developmentCredential && (
        <p class="hint">
          This server runs without keys of its own and accepts the development pair it printed at start (
          <code>{server.developmentCredential.secretId}</code>).
        </p>
      )}
    </main>
  );
}
