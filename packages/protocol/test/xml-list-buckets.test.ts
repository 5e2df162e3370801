import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildListAllMyBucketsResult, parseListAllMyBucketsResult } from '../src/index.js';

test('ListAllMyBucketsResult round-trips, with none, one and several buckets', () => {
  const owner = { ID: 'qcs::cam::uin/1:uin/1', DisplayName: '1' };
  for (const count of [0, 1, 3]) {
    const model = {
      Owner: owner,
      Buckets: Array.from({ length: count }, (_, i) => ({
        Name: `b${i}-1250000000`,
        Location: 'ap-guangzhou',
        CreationDate: '2026-11-23T20:00:00.000Z',
      })),
    };
    assert.deepEqual(parseListAllMyBucketsResult(buildListAllMyBucketsResult(model)), model);
  }
  assert.equal(
    buildListAllMyBucketsResult({
      Owner: owner,
      Buckets: [{ Name: 'a-1', Location: 'r', CreationDate: 'd' }],
    }),
    "<?xml version='1.0' encoding='utf-8' ?><ListAllMyBucketsResult><Owner><ID>qcs::cam::uin/1:uin/1</ID><DisplayName>1</DisplayName></Owner><Buckets><Bucket><Name>a-1</Name><Location>r</Location><CreationDate>d</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>",
  );
});
