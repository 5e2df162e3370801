/**
 * One folder of a bucket: List Objects with delimiter "/" under `prefix` (+ the filter typed in),
 * folders (common prefixes) as rows first, pages of `MaxKeys` with Next/Previous (markers), and
 * the drop zone that uploads into this folder.
 */
import { useEffect, useState } from 'preact/hooks';
import { announce } from '../announce.js';
import type { Cos } from '../cos.js';
import { formatBytes, formatDate } from '../format.js';
import { hrefOf } from '../route.js';
import type { PickedFile } from '../uploads/pick.js';
import { Confirm } from './confirm.js';
import { DropZone } from './drop-zone.js';
import { ErrorNote } from './error-note.js';
import { Heading } from './heading.js';

const PAGE_SIZES = [10, 50, 200];
/** Quiet time after the last finished upload before the listing reloads, ms. */
const RELOAD_DELAY_MS = 300;

interface Page {
  folders: string[];
  objects: { Key: string; Size: number; LastModified: string }[];
  nextMarker: string | undefined;
}

/** `a/b/` → [['a/', 'a/'], ['b/', 'a/b/']]: each crumb's label and prefix. */
function crumbsOf(prefix: string): [string, string][] {
  const parts = prefix.split('/').slice(0, -1);
  return parts.map((part, i) => [`${part}/`, `${parts.slice(0, i + 1).join('/')}/`]);
}

export function Browse({
  client,
  bucket,
  prefix,
  refreshKey,
  onUpload,
}: {
  client: Cos;
  bucket: string;
  prefix: string;
  /** Changes when an upload into this bucket finishes: the listing reloads. */
  refreshKey: number;
  onUpload: (files: PickedFile[]) => void;
}) {
  const [filter, setFilter] = useState('');
  const [pageSize, setPageSize] = useState(50);
  // Markers of the pages before this one ('' = the first page), for Previous.
  const [markers, setMarkers] = useState<string[]>([]);
  const [marker, setMarker] = useState('');
  const [page, setPage] = useState<Page | undefined>();
  const [error, setError] = useState<unknown>();
  // Finished uploads reload the listing once they pause for a moment, not once per file.
  const [reloads, setReloads] = useState(refreshKey);
  useEffect(() => {
    const timer = setTimeout(() => setReloads(refreshKey), RELOAD_DELAY_MS);
    return () => clearTimeout(timer);
  }, [refreshKey]);
  /** Keys ticked on this page, for Delete selected. */
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [deletions, setDeletions] = useState(0);

  /** A new filter or page size starts from the first page (a new folder remounts this view). */
  const firstPage = () => {
    setMarkers([]);
    setMarker('');
  };

  useEffect(() => {
    const controller = new AbortController();
    const listPrefix = prefix + filter;
    client
      .listObjects({
        Bucket: bucket,
        Prefix: listPrefix,
        Delimiter: '/',
        Marker: marker,
        MaxKeys: pageSize,
        signal: controller.signal,
      })
      .then((r) => {
        const last = [...r.Contents.map((c) => c.Key), ...r.CommonPrefixes.map((p) => p.Prefix)].sort().pop();
        setPage({
          folders: r.CommonPrefixes.map((p) => p.Prefix),
          objects: r.Contents.filter((c) => c.Key !== prefix),
          nextMarker: r.IsTruncated ? (r.NextMarker ?? last) : undefined,
        });
        setSelected(new Set());
        setError(undefined);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      });
    return () => controller.abort();
  }, [client, bucket, prefix, filter, pageSize, marker, reloads, deletions]);

  /** Delete Multiple Objects for the ticked keys (at most a page, ≤ 200 < COS's 1000 a request). */
  const deleteSelected = async () => {
    setConfirming(false);
    const keys = [...selected];
    try {
      const r = await client.deleteObjects({
        Bucket: bucket,
        Delete: { Quiet: true, Object: keys.map((Key) => ({ Key })) },
      });
      const failed = r.Error ?? [];
      if (failed.length > 0) {
        setError(
          new Error(
            `${failed.length} of ${keys.length} not deleted: ${failed[0]!.Key}: ${failed[0]!.Message}`,
          ),
        );
      }
      announce(`Deleted ${keys.length - failed.length} of ${keys.length} objects`);
    } catch (err) {
      setError(err);
    }
    setDeletions((n) => n + 1);
  };
  const toggle = (key: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(key);
    else next.delete(key);
    setSelected(next);
  };

  const name = (full: string) => full.slice(prefix.length);
  const parent = prefix === '' ? undefined : prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
  const empty = page && page.folders.length === 0 && page.objects.length === 0;

  return (
    <main id="main">
      <nav aria-label="Folder path" class="crumbs">
        <a href={hrefOf({ view: 'buckets' })}>Buckets</a>
        <span aria-hidden="true"> / </span>
        <a
          href={hrefOf({ view: 'browse', bucket, prefix: '' })}
          aria-current={prefix === '' ? 'page' : undefined}
        >
          {bucket}
        </a>
        {crumbsOf(prefix).map(([label, p]) => (
          <span key={p}>
            <span aria-hidden="true"> / </span>
            <a
              href={hrefOf({ view: 'browse', bucket, prefix: p })}
              aria-current={p === prefix ? 'page' : undefined}
            >
              {label}
            </a>
          </span>
        ))}
      </nav>
      <Heading focusKey={`browse/${bucket}/${prefix}`}>{prefix === '' ? bucket : prefix}</Heading>

      <DropZone target={`${bucket}/${prefix}`} onFiles={onUpload} />

      <div class="toolbar">
        <label>
          Filter by prefix
          <input
            type="search"
            name="filter"
            spellcheck={false}
            placeholder="name starts with…"
            value={filter}
            onInput={(e) => {
              setFilter(e.currentTarget.value);
              firstPage();
            }}
          />
        </label>
        <label>
          Rows per page
          <select
            value={pageSize}
            onChange={(e) => {
              setPageSize(Number(e.currentTarget.value));
              firstPage();
            }}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>

      <div class="actions">
        <button
          type="button"
          class="danger"
          disabled={selected.size === 0}
          onClick={() => setConfirming(true)}
        >
          Delete selected ({selected.size})
        </button>
      </div>
      <ErrorNote error={error} />
      {!page && !error && <p aria-busy="true">Loading…</p>}
      {page && (
        <table class="listing">
          <caption class="visually-hidden">Contents of {prefix || bucket}</caption>
          <thead>
            <tr>
              <th scope="col" class="pick">
                <input
                  type="checkbox"
                  aria-label="Select every object on this page"
                  checked={page.objects.length > 0 && selected.size === page.objects.length}
                  disabled={page.objects.length === 0}
                  onChange={(e) =>
                    setSelected(new Set(e.currentTarget.checked ? page.objects.map((o) => o.Key) : []))
                  }
                />
              </th>
              <th scope="col">Name</th>
              <th scope="col" class="num">
                Size
              </th>
              <th scope="col" class="wide-only">
                Last modified
              </th>
            </tr>
          </thead>
          <tbody>
            {parent !== undefined && markers.length === 0 && (
              <tr>
                <td class="pick" />
                <td colSpan={3}>
                  <a href={hrefOf({ view: 'browse', bucket, prefix: parent })} class="folder">
                    ../ <span class="visually-hidden">(parent folder)</span>
                  </a>
                </td>
              </tr>
            )}
            {page.folders.map((f) => (
              <tr key={`d:${f}`} class="folder-row">
                <td class="pick" />
                <td>
                  <a href={hrefOf({ view: 'browse', bucket, prefix: f })} class="folder">
                    {name(f)}
                  </a>
                </td>
                <td class="num">
                  <span class="visually-hidden">folder</span>
                </td>
                <td class="wide-only" />
              </tr>
            ))}
            {page.objects.map((o) => (
              <tr key={`o:${o.Key}`} class="object-row">
                <td class="pick">
                  <input
                    type="checkbox"
                    aria-label={`Select ${name(o.Key)}`}
                    checked={selected.has(o.Key)}
                    onChange={(e) => toggle(o.Key, e.currentTarget.checked)}
                  />
                </td>
                <td>
                  <a href={hrefOf({ view: 'object', bucket, key: o.Key })} class="object">
                    {name(o.Key)}
                  </a>
                </td>
                <td class="num">{formatBytes(o.Size)}</td>
                <td class="wide-only">{formatDate(o.LastModified)}</td>
              </tr>
            ))}
            {empty && (
              <tr>
                <td colSpan={4} class="hint">
                  {filter
                    ? 'Nothing here starts with that.'
                    : 'This folder is empty: drop files above to upload.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="Pages">
        <button
          type="button"
          disabled={markers.length === 0}
          onClick={() => {
            setMarker(markers[markers.length - 1] ?? '');
            setMarkers(markers.slice(0, -1));
          }}
        >
          Previous page
        </button>
        <span>Page {markers.length + 1}</span>
        <button
          type="button"
          disabled={!page?.nextMarker}
          onClick={() => {
            if (!page?.nextMarker) return;
            setMarkers([...markers, marker]);
            setMarker(page.nextMarker);
          }}
        >
          Next page
        </button>
      </nav>
      <Confirm
        open={confirming}
        title={`Delete ${selected.size} object${selected.size === 1 ? '' : 's'}?`}
        confirmLabel="Delete"
        onConfirm={() => void deleteSelected()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          {[...selected].map((k) => name(k)).join(', ')} will be deleted from <code>{bucket}</code>. This
          cannot be undone.
        </p>
      </Confirm>
    </main>
  );
}
