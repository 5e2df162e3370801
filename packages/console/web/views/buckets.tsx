/** The bucket list (GET Service) and the form that creates a bucket (PUT Bucket). */
import { useEffect, useState } from 'preact/hooks';
import { announce } from '../announce.js';
import type { Cos } from '../cos.js';
import { formatDate } from '../format.js';
import { hrefOf, navigate } from '../route.js';
import { ErrorNote } from './error-note.js';
import { Heading } from './heading.js';

interface BucketRow {
  Name: string;
  Location: string;
  CreationDate: string;
}

export function Buckets({ client }: { client: Cos }) {
  const [buckets, setBuckets] = useState<BucketRow[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>();

  const load = async () => {
    try {
      const r = await client.listBuckets();
      setBuckets([...r.Buckets].sort((a, b) => a.Name.localeCompare(b.Name)));
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    void load();
  }, [client]);

  const create = async (e: Event) => {
    e.preventDefault();
    const Bucket = name.trim();
    setCreating(true);
    setCreateError(undefined);
    try {
      await client.createBucket({ Bucket });
      setName('');
      announce(`Created bucket ${Bucket}`);
      await load();
      navigate({ view: 'browse', bucket: Bucket, prefix: '' });
    } catch (err) {
      setCreateError(err);
    } finally {
      setCreating(false);
    }
  };

  return (
    <main id="main">
      <Heading focusKey="buckets">Buckets</Heading>
      <ErrorNote error={error} />
      {buckets === undefined && error === undefined && <p aria-busy="true">Loading…</p>}
      {buckets?.length === 0 && <p>No buckets yet: create one below.</p>}
      {buckets && buckets.length > 0 && (
        <table class="listing">
          <caption class="visually-hidden">Buckets</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" class="wide-only">
                Region
              </th>
              <th scope="col" class="wide-only">
                Created
              </th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.Name}>
                <td>
                  <a class="bucket" href={hrefOf({ view: 'browse', bucket: b.Name, prefix: '' })}>
                    {b.Name}
                  </a>
                </td>
                <td class="wide-only">{b.Location}</td>
                <td class="wide-only">{formatDate(b.CreationDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="create-bucket" onSubmit={create} aria-labelledby="create-bucket-title">
        <h2 id="create-bucket-title">Create a bucket</h2>
        <label>
          Bucket name
          <input
            name="bucket"
            required
            spellcheck={false}
            placeholder="examplebucket-1250000000"
            aria-describedby="bucket-name-hint"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <p id="bucket-name-hint" class="hint">
          Lowercase letters, digits and “-”, then “-” and the numeric APPID.
        </p>
        <ErrorNote error={createError} />
        <button type="submit" class="primary" disabled={creating}>
          {creating ? 'Creating…' : 'Create bucket'}
        </button>
      </form>
    </main>
  );
}
