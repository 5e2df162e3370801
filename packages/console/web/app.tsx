/**
 * The console's shell: loads what the server says about itself, signs in, and shows the place the
 * URL's hash names (route.ts) above the uploads panel, which stays while the user browses.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { announce } from './announce.js';
import { connect } from './cos.js';
import { errorText } from './format.js';
import { hrefOf, useRoute } from './route.js';
import { loadServerConfig, type ServerConfig } from './server-config.js';
import { type ConsoleCredentials, clearCredentials, loadCredentials, saveCredentials } from './session.js';
import { loadPending, type PendingUpload, removePending, samePending } from './uploads/pending.js';
import { UploadQueue } from './uploads/upload-queue.js';
import { Browse } from './views/browse.js';
import { Buckets } from './views/buckets.js';
import { ObjectDetails } from './views/object-details.js';
import { SignIn } from './views/sign-in.js';
import { UploadsPanel } from './views/uploads-panel.js';

export function App() {
  const [server, setServer] = useState<ServerConfig | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [credentials, setCredentials] = useState(loadCredentials);

  useEffect(() => {
    loadServerConfig().then(setServer, (err: unknown) => setFailure(errorText(err)));
  }, []);

  if (failure) {
    return (
      <main id="main">
        <h1>coskit console</h1>
        <p class="error" role="alert">
          Could not reach the server: {failure}
        </p>
      </main>
    );
  }
  if (!server) return <p aria-busy="true">Loading…</p>;
  if (!credentials) {
    return (
      <Shell>
        <SignIn
          server={server}
          onSignedIn={(c) => {
            saveCredentials(c);
            setCredentials(c);
          }}
        />
      </Shell>
    );
  }
  return (
    <SignedIn
      server={server}
      credentials={credentials}
      onSignOut={() => {
        clearCredentials();
        setCredentials(undefined);
        announce('Signed out');
      }}
    />
  );
}

function Shell({
  children,
  onSignOut,
  who,
}: {
  children: ComponentChildren;
  onSignOut?: () => void;
  who?: string;
}) {
  return (
    <>
      {/* A button, not an in-page link: the hash holds the console's place (route.ts). */}
      <button
        type="button"
        class="skip"
        onClick={() => document.querySelector<HTMLElement>('main h1')?.focus()}
      >
        Skip to content
      </button>
      <header class="top">
        <a class="brand" href={hrefOf({ view: 'buckets' })}>
          coskit console
        </a>
        <span class="host">{location.host}</span>
        {who && (
          <span class="who" title="Signed in as">
            {who}
          </span>
        )}
        {onSignOut && (
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        )}
      </header>
      {children}
      <output id="status" class="visually-hidden" aria-live="polite" />
    </>
  );
}

function SignedIn({
  server,
  credentials,
  onSignOut,
}: {
  server: ServerConfig;
  credentials: ConsoleCredentials;
  onSignOut: () => void;
}) {
  const client = useMemo(() => connect(credentials, server.region), [credentials, server.region]);
  const queue = useMemo(() => new UploadQueue(client), [client]);
  const [, setVersion] = useState(0);
  const [pending, setPending] = useState<PendingUpload[]>(loadPending);
  const route = useRoute();

  // Re-render on every upload change; a finished file reloads the listing of its bucket.
  useEffect(() => queue.subscribe(() => setVersion((v) => v + 1)), [queue]);
  // Signing out pauses the uploads (parts in flight finish); they are offered again, to pick the
  // same files, after the next sign-in (pending.ts).
  useEffect(() => () => queue.pauseAll(), [queue]);
  // Uploads keep running when the tab is hidden; leaving the page with some under way asks first.
  useEffect(() => {
    const onLeave = (e: BeforeUnloadEvent) => {
      if (queue.totals.active) e.preventDefault();
    };
    addEventListener('beforeunload', onLeave);
    return () => removeEventListener('beforeunload', onLeave);
  }, [queue]);

  const resumePending = (files: File[]) => {
    let matched = 0;
    for (const file of files) {
      const entry = pending.find((p) =>
        samePending(p, { ...p, name: file.name, size: file.size, lastModified: file.lastModified }),
      );
      if (!entry) continue;
      matched++;
      queue.add(entry.bucket, '', [{ file, path: entry.key }]);
    }
    const left = pending.filter(
      (p) =>
        !files.some((f) =>
          samePending(p, { ...p, name: f.name, size: f.size, lastModified: f.lastModified }),
        ),
    );
    setPending(left);
    announce(
      matched === 0
        ? 'None of those files is an interrupted upload (name, size and date must match).'
        : `Resuming ${matched} upload${matched === 1 ? '' : 's'}`,
    );
  };

  return (
    <Shell onSignOut={onSignOut} who={credentials.secretId}>
      {route.view === 'buckets' && <Buckets client={client} />}
      {route.view === 'browse' && (
        <Browse
          key={`${route.bucket}/${route.prefix}`}
          client={client}
          bucket={route.bucket}
          prefix={route.prefix}
          refreshKey={queue.finishedIn(route.bucket)}
          onUpload={(files) => {
            queue.add(route.bucket, route.prefix, files);
            announce(`Uploading ${files.length} file${files.length === 1 ? '' : 's'}`);
          }}
        />
      )}
      {route.view === 'object' && (
        <ObjectDetails
          key={`${route.bucket}/${route.key}`}
          client={client}
          bucket={route.bucket}
          objectKey={route.key}
        />
      )}
      <UploadsPanel
        queue={queue}
        pending={pending}
        onResumePending={resumePending}
        onForgetPending={() => {
          for (const p of pending) removePending(p);
          setPending([]);
        }}
      />
    </Shell>
  );
}
