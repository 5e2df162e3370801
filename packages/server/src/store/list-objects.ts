/** List Objects over the ordered object index: prefix, delimiter roll-up, marker, page size. */

import { bucketPrefixLength, justAfter, objectKey, objectRangeEnd, pastPrefix, tailString } from './keys.js';
import type { OrderedTable } from './ordered-table.js';
import type { ObjectRecord } from './records.js';
import type { ListObjectsPage, ListObjectsQuery } from './store.js';

/**
 * Walks keys in UTF-8 byte order. A rolled-up common prefix is skipped in one seek, so a page
 * costs O(page size) index steps whatever the number of keys under each prefix.
 */
export function listObjects(
  db: OrderedTable<ObjectRecord>,
  bucket: string,
  q: ListObjectsQuery,
): ListObjectsPage {
  const skip = bucketPrefixLength(bucket);
  const end = objectRangeEnd(bucket, q.prefix);
  let start = objectKey(bucket, q.prefix);
  if (q.marker !== '') {
    const afterMarker = justAfter(objectKey(bucket, q.marker));
    if (Buffer.compare(afterMarker, start) > 0) start = afterMarker;
  }
  const contents: ListObjectsPage['contents'] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let count = 0;
  let isTruncated = false;
  scan: while (true) {
    for (const { key, value } of db.getRange({ start, end })) {
      const name = tailString(key, skip);
      const cut = q.delimiter === '' ? -1 : name.indexOf(q.delimiter, q.prefix.length);
      if (cut >= 0) {
        const prefix = name.slice(0, cut + q.delimiter.length);
        start = pastPrefix(objectKey(bucket, prefix));
        // A prefix already returned on an earlier page (the marker is it, or lies inside it).
        if (q.marker !== '' && q.marker.startsWith(prefix)) continue scan;
        if (count === q.maxKeys) {
          isTruncated = true;
          break scan;
        }
        commonPrefixes.push(prefix);
        last = prefix;
        count++;
        continue scan;
      }
      if (count === q.maxKeys) {
        isTruncated = true;
        break scan;
      }
      contents.push({ key: name, info: value });
      last = name;
      count++;
    }
    break;
  }
  return { contents, commonPrefixes, isTruncated, nextMarker: isTruncated ? last : undefined };
}
