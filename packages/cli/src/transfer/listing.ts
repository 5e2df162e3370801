/** Every page of a listing, as one async sequence. */
import type { CosS3Client } from '@coskit/client';

export interface RemoteObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string;
  readonly storageClass: string;
}

/** Objects (and, with a delimiter, common prefixes) under `prefix`, in key order. */
export async function* listObjects(
  client: CosS3Client,
  bucket: string,
  prefix: string,
  options: { delimiter?: string; signal?: AbortSignal } = {},
): AsyncGenerator<{ object: RemoteObject } | { prefix: string }> {
  let marker: string | undefined;
  for (;;) {
    const page = await client.listObjects({
      Bucket: bucket,
      Prefix: prefix,
      ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
      ...(marker !== undefined ? { Marker: marker } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for (const p of page.CommonPrefixes) yield { prefix: p.Prefix };
    for (const o of page.Contents) {
      yield {
        object: {
          key: o.Key,
          size: o.Size,
          etag: o.ETag,
          lastModified: o.LastModified,
          storageClass: o.StorageClass,
        },
      };
    }
    if (!page.IsTruncated) return;
    const last = page.Contents.at(-1)?.Key;
    const lastPrefix = page.CommonPrefixes.at(-1)?.Prefix;
    const next =
      page.NextMarker ||
      [last, lastPrefix]
        .filter((k) => k !== undefined)
        .sort()
        .at(-1);
    if (next === undefined || next === marker) return;
    marker = next;
  }
}

/** Only the objects (no delimiter: every key under the prefix). */
export async function* listAllObjects(
  client: CosS3Client,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): AsyncGenerator<RemoteObject> {
  for await (const entry of listObjects(client, bucket, prefix, signal ? { signal } : {}))
    if ('object' in entry) yield entry.object;
}

export interface RemoteUpload {
  readonly key: string;
  readonly uploadId: string;
  readonly initiated: string;
  readonly storageClass: string;
}

export async function* listUploads(
  client: CosS3Client,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): AsyncGenerator<RemoteUpload> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await client.listMultipartUploads({
      Bucket: bucket,
      ...(prefix ? { Prefix: prefix } : {}),
      ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
      ...(uploadIdMarker !== undefined ? { UploadIdMarker: uploadIdMarker } : {}),
      ...(signal ? { signal } : {}),
    });
    for (const u of page.Upload)
      yield { key: u.Key, uploadId: u.UploadId, initiated: u.Initiated, storageClass: u.StorageClass };
    if (!page.IsTruncated || (page.NextKeyMarker === keyMarker && page.NextUploadIdMarker === uploadIdMarker))
      return;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

export interface RemotePart {
  readonly partNumber: number;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string;
}

export async function* listParts(
  client: CosS3Client,
  bucket: string,
  key: string,
  uploadId: string,
  signal?: AbortSignal,
): AsyncGenerator<RemotePart> {
  let marker = 0;
  for (;;) {
    const page = await client.listParts({
      Bucket: bucket,
      Key: key,
      UploadId: uploadId,
      ...(marker ? { PartNumberMarker: marker } : {}),
      ...(signal ? { signal } : {}),
    });
    for (const p of page.Part)
      yield { partNumber: p.PartNumber, size: p.Size, etag: p.ETag, lastModified: p.LastModified };
    if (!page.IsTruncated || page.NextPartNumberMarker <= marker) return;
    marker = page.NextPartNumberMarker;
  }
}

export interface RemoteVersion {
  readonly key: string;
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly lastModified: string;
  /** Absent for a delete marker. */
  readonly size?: number;
  readonly etag?: string;
  readonly storageClass?: string;
  readonly deleteMarker: boolean;
}

/**
 * Every version and delete marker under `prefix` (GET Bucket Object versions, page after page by
 * key and version-id marker), and with a delimiter the common prefixes: keys ascending, each key's
 * versions newest first.
 */
export async function* listVersions(
  client: CosS3Client,
  bucket: string,
  prefix: string,
  options: { delimiter?: string; signal?: AbortSignal } = {},
): AsyncGenerator<{ version: RemoteVersion } | { prefix: string }> {
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await client.listObjectsVersions({
      Bucket: bucket,
      ...(prefix ? { Prefix: prefix } : {}),
      ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
      ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
      ...(versionIdMarker !== undefined ? { VersionIdMarker: versionIdMarker } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for (const p of page.CommonPrefixes) yield { prefix: p.Prefix };
    const entries: RemoteVersion[] = [
      ...page.Version.map((v) => ({
        key: v.Key,
        versionId: v.VersionId,
        isLatest: v.IsLatest,
        lastModified: v.LastModified,
        size: v.Size,
        etag: v.ETag,
        storageClass: v.StorageClass,
        deleteMarker: false,
      })),
      ...page.DeleteMarker.map((d) => ({
        key: d.Key,
        versionId: d.VersionId,
        isLatest: d.IsLatest,
        lastModified: d.LastModified,
        deleteMarker: true,
      })),
    ];
    // The SDK returns versions and markers apart: put them back in listing order.
    entries.sort((a, b) =>
      a.key !== b.key
        ? a.key < b.key
          ? -1
          : 1
        : a.isLatest !== b.isLatest
          ? a.isLatest
            ? -1
            : 1
          : b.lastModified.localeCompare(a.lastModified),
    );
    for (const version of entries) yield { version };
    if (!page.IsTruncated || page.NextKeyMarker === undefined) return;
    if (page.NextKeyMarker === keyMarker && page.NextVersionIdMarker === versionIdMarker) return;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}
