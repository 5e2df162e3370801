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
