/** List Multipart Uploads over the upload index (ordered by key, then upload id). */

import {
  bucketPrefixLength,
  justAfter,
  objectKey,
  objectRangeEnd,
  pastPrefix,
  splitUploadTail,
  tailString,
  uploadKey,
} from './keys.js';
import type { OrderedTable } from './ordered-table.js';
import type { UploadRecord } from './records.js';
import type { ListUploadsPage, ListUploadsQuery } from './store.js';

export function listUploads(
  db: OrderedTable<UploadRecord>,
  bucket: string,
  q: ListUploadsQuery,
): ListUploadsPage {
  const skip = bucketPrefixLength(bucket);
  const end = objectRangeEnd(bucket, q.prefix);
  let start = objectKey(bucket, q.prefix);
  if (q.keyMarker !== '') {
    // Past every upload of key-marker, or past key-marker's upload-id-marker.
    const after =
      q.uploadIdMarker !== ''
        ? justAfter(uploadKey(bucket, q.keyMarker, q.uploadIdMarker))
        : pastPrefix(justAfter(objectKey(bucket, q.keyMarker)));
    if (Buffer.compare(after, start) > 0) start = after;
  }
  const uploads: ListUploadsPage['uploads'] = [];
  const commonPrefixes: string[] = [];
  let count = 0;
  let isTruncated = false;
  let nextKeyMarker: string | undefined;
  let nextUploadIdMarker: string | undefined;
  scan: while (true) {
    for (const { key, value } of db.getRange({ start, end })) {
      const { key: name, uploadId } = splitUploadTail(tailString(key, skip));
      const cut = q.delimiter === '' ? -1 : name.indexOf(q.delimiter, q.prefix.length);
      if (cut >= 0) {
        const prefix = name.slice(0, cut + q.delimiter.length);
        start = pastPrefix(objectKey(bucket, prefix));
        // A prefix already returned on an earlier page (the marker is it, or lies inside it).
        if (q.keyMarker !== '' && q.keyMarker.startsWith(prefix)) continue scan;
        if (count === q.maxUploads) {
          isTruncated = true;
          break scan;
        }
        commonPrefixes.push(prefix);
        nextKeyMarker = prefix;
        nextUploadIdMarker = undefined;
        count++;
        continue scan;
      }
      if (count === q.maxUploads) {
        isTruncated = true;
        break scan;
      }
      uploads.push({ key: name, uploadId, info: value });
      nextKeyMarker = name;
      nextUploadIdMarker = uploadId;
      count++;
    }
    break;
  }
  return {
    uploads,
    commonPrefixes,
    isTruncated,
    nextKeyMarker: isTruncated ? nextKeyMarker : undefined,
    nextUploadIdMarker: isTruncated ? nextUploadIdMarker : undefined,
  };
}
