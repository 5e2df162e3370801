/**
 * Every object under a prefix, page after page of GET Bucket (1000 keys a request), as one async
 * sequence in key order: what `downloadDirectory` downloads and what a folder upload's skip check
 * compares sizes with. Memory: one page at a time.
 */
import type { TransferClient } from './transfer-client.js';

/** One listed object, as GET Bucket shows it. */
export interface ListedObject {
  readonly Key: string;
  /** Bytes. */
  readonly Size: number;
  readonly ETag: string;
  readonly LastModified: string;
}

/** Objects under `Prefix` (no delimiter: every key below it), folder markers included. */
export async function* listEveryObject(
  client: Pick<TransferClient, 'listObjects'>,
  p: { Bucket: string; Prefix?: string | undefined; signal?: AbortSignal | undefined },
): AsyncGenerator<ListedObject> {
  let marker: string | undefined;
  for (;;) {
    const page = await client.listObjects({
      Bucket: p.Bucket,
      ...(p.Prefix ? { Prefix: p.Prefix } : {}),
      ...(marker !== undefined ? { Marker: marker } : {}),
      ...(p.signal ? { signal: p.signal } : {}),
    });
    for (const o of page.Contents)
      yield { Key: o.Key, Size: o.Size, ETag: o.ETag, LastModified: o.LastModified };
    // Without a delimiter COS may omit NextMarker: the last key is the marker then.
    const next = page.NextMarker || page.Contents.at(-1)?.Key;
    if (!page.IsTruncated || next === undefined || next === marker) return;
    marker = next;
  }
}
