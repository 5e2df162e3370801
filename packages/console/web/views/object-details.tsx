/**
 * One object: HEAD Object (size, type, ETag, CRC-64, class, metadata), its tags, its versions when
 * the server keeps versions, a download, a share link and Delete.
 */
import { useEffect, useState } from 'preact/hooks';
import { announce } from '../announce.js';
import type { Cos } from '../cos.js';
import { errorCodeOf, formatBytes, formatDate } from '../format.js';
import { hrefOf, navigate } from '../route.js';
import { Confirm } from './confirm.js';
import { ErrorNote } from './error-note.js';
import { Heading } from './heading.js';
import { ShareLink } from './share-link.js';

type Head = Awaited<ReturnType<Cos['headObject']>>;
interface Version {
  VersionId: string;
  IsLatest: boolean;
  LastModified: string;
  Size?: number;
  deleteMarker: boolean;
}

const folderOf = (key: string) => key.slice(0, key.lastIndexOf('/') + 1);

/** The object's versions, or undefined when the server keeps none (501 NotImplemented) or only one. */
async function versionsOf(client: Cos, bucket: string, key: string): Promise<Version[] | undefined> {
  try {
    const r = await client.listObjectsVersions({ Bucket: bucket, Prefix: key, MaxKeys: 100 });
    const all: Version[] = [
      ...r.Version.filter((v) => v.Key === key).map((v) => ({ ...v, deleteMarker: false })),
      ...r.DeleteMarker.filter((v) => v.Key === key).map((v) => ({ ...v, deleteMarker: true })),
    ].sort((a, b) => b.LastModified.localeCompare(a.LastModified));
    return all.length > 1 || all.some((v) => v.VersionId !== 'null') ? all : undefined;
  } catch (err) {
    if (errorCodeOf(err) === 'NotImplemented') return undefined;
    throw err;
  }
}

export function ObjectDetails({
  client,
  bucket,
  objectKey,
}: {
  client: Cos;
  bucket: string;
  objectKey: string;
}) {
  const [head, setHead] = useState<Head | undefined>();
  const [tags, setTags] = useState<{ Key: string; Value: string }[] | undefined>();
  const [versions, setVersions] = useState<Version[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [extraError, setExtraError] = useState<unknown>();
  const [confirming, setConfirming] = useState(false);
  const [download, setDownload] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    const target = { Bucket: bucket, Key: objectKey };
    client.headObject(target).then(
      (h) => live && setHead(h),
      (err: unknown) => {
        if (!live) return;
        // HEAD errors have no body: a 404 is all the server can say.
        const missing = (err as { statusCode?: number }).statusCode === 404;
        setError(missing ? new Error(`There is no object "${objectKey}" in ${bucket}.`) : err);
      },
    );
    client.getObjectTagging(target).then(
      (t) => live && setTags(t.TagSet.Tag),
      (err: unknown) => live && errorCodeOf(err) !== 'NotImplemented' && setExtraError(err),
    );
    versionsOf(client, bucket, objectKey).then(
      (v) => live && setVersions(v),
      (err: unknown) => live && setExtraError(err),
    );
    // A download link names the file; it is pre-signed like a share link, valid for 15 minutes.
    const name = objectKey.slice(objectKey.lastIndexOf('/') + 1) || 'download';
    client
      .getPresignedUrl({
        ...target,
        Expired: 900,
        Params: {
          'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
        },
      })
      .then(
        (u) => live && setDownload(u),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [client, bucket, objectKey]);

  const remove = async () => {
    setConfirming(false);
    try {
      await client.deleteObject({ Bucket: bucket, Key: objectKey });
      announce(`Deleted ${objectKey}`);
      navigate({ view: 'browse', bucket, prefix: folderOf(objectKey) });
    } catch (err) {
      setError(err);
    }
  };

  const metadata = head ? Object.entries(head.Metadata) : [];
  return (
    <main id="main">
      <nav aria-label="Folder path" class="crumbs">
        <a href={hrefOf({ view: 'buckets' })}>Buckets</a>
        <span aria-hidden="true"> / </span>
        <a href={hrefOf({ view: 'browse', bucket, prefix: '' })}>{bucket}</a>
        {folderOf(objectKey) && (
          <>
            <span aria-hidden="true"> / </span>
            <a href={hrefOf({ view: 'browse', bucket, prefix: folderOf(objectKey) })}>
              {folderOf(objectKey)}
            </a>
          </>
        )}
      </nav>
      <Heading focusKey={`object/${bucket}/${objectKey}`}>
        {objectKey.slice(folderOf(objectKey).length)}
      </Heading>
      <ErrorNote error={error} />
      {head && (
        <>
          <dl class="details">
            <dt>Key</dt>
            <dd>
              <code>{objectKey}</code>
            </dd>
            <dt>Size</dt>
            <dd>
              {formatBytes(head['Content-Length'])} ({head['Content-Length'].toLocaleString()} bytes)
            </dd>
            <dt>Type</dt>
            <dd>{head['Content-Type'] ?? '–'}</dd>
            <dt>Last modified</dt>
            <dd>{formatDate(head['Last-Modified'])}</dd>
            <dt>ETag</dt>
            <dd>
              <code>{head.ETag}</code>
            </dd>
            <dt>CRC-64</dt>
            <dd>
              <code>{head['x-cos-hash-crc64ecma'] ?? '–'}</code>
            </dd>
            <dt>Storage class</dt>
            <dd>{head['x-cos-storage-class'] ?? 'STANDARD'}</dd>
            {head['x-cos-object-type'] && (
              <>
                <dt>Object type</dt>
                <dd>{head['x-cos-object-type']}</dd>
              </>
            )}
          </dl>
          <div class="actions">
            {download && (
              <a class="button" href={download} download>
                Download
              </a>
            )}
            <button type="button" class="danger" onClick={() => setConfirming(true)}>
              Delete…
            </button>
          </div>

          <h2>Metadata</h2>
          {metadata.length === 0 ? (
            <p class="hint">No x-cos-meta-* headers.</p>
          ) : (
            <table class="pairs">
              <tbody>
                {metadata.map(([name, value]) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td>{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h2>Tags</h2>
          {tags === undefined || tags.length === 0 ? (
            <p class="hint">No tags.</p>
          ) : (
            <table class="pairs">
              <tbody>
                {tags.map((t) => (
                  <tr key={t.Key}>
                    <th scope="row">{t.Key}</th>
                    <td>{t.Value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          {versions && (
            <>
              <h2>Versions</h2>
              <table class="listing">
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col" class="num">
                      Size
                    </th>
                    <th scope="col" class="wide-only">
                      Last modified
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v) => (
                    <tr key={v.VersionId}>
                      <td>
                        <code>{v.VersionId}</code>
                        {v.IsLatest && ' (latest)'}
                        {v.deleteMarker && ' (delete marker)'}
                      </td>
                      <td class="num">{v.Size === undefined ? '–' : formatBytes(v.Size)}</td>
                      <td class="wide-only">{formatDate(v.LastModified)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <ErrorNote error={extraError} />

          <ShareLink client={client} bucket={bucket} objectKey={objectKey} />
        </>
      )}
      <Confirm
        open={confirming}
        title="Delete this object?"
        confirmLabel="Delete"
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          <code>{objectKey}</code> will be deleted from <code>{bucket}</code>. This cannot be undone.
        </p>
      </Confirm>
    </main>
  );
}
