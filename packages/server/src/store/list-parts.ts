/** List Parts over the ordered part index (see keys.ts: upload id, then the part number). */
import { partNumberOf, partRangeEnd, partRangeStart } from './keys.js';
import type { OrderedTable } from './ordered-table.js';
import type { PartRecord } from './records.js';
import type { ListPartsPage } from './store.js';

/** Parts of `uploadId` with number > `marker`, at most `max` of them, plus whether more follow. */
export function listParts(
  table: OrderedTable<PartRecord>,
  uploadId: string,
  marker: number,
  max: number,
): ListPartsPage {
  const parts: ListPartsPage['parts'] = [];
  let isTruncated = false;
  for (const { key, value } of table.getRange({
    start: partRangeStart(uploadId, marker),
    end: partRangeEnd(uploadId),
  })) {
    if (parts.length === max) {
      isTruncated = true;
      break;
    }
    parts.push({ ...value, partNumber: partNumberOf(key) });
  }
  return { parts, isTruncated };
}

/** Every part of `uploadId`, in order. */
export function partsOf(
  table: OrderedTable<PartRecord>,
  uploadId: string,
): Iterable<{ key: Buffer; value: PartRecord }> {
  return table.getRange({ start: partRangeStart(uploadId), end: partRangeEnd(uploadId) });
}
