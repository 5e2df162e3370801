/**
 * README's list of what the server implements stays complete: every operation of the router's
 * table (`HANDLERS`) is a row of the table between `<!-- server-apis:start -->` and `-end -->`, no
 * row names an operation the router lacks, and the 501 list names exactly the sub-resources (or
 * levels) `SUB_RESOURCE_ROUTES` marks NotImplemented. A new operation fails here until README says so.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { SUB_RESOURCES } from '@coskit/protocol';
import { HANDLERS, SUB_RESOURCE_ROUTES } from '../src/http/router.js';

const README = new URL('../../../../README.md', import.meta.url);

function between(text: string, marker: string): string {
  const start = text.indexOf(`<!-- ${marker}:start -->`);
  const end = text.indexOf(`<!-- ${marker}:end -->`);
  assert.ok(start >= 0 && end > start, `README.md has no <!-- ${marker}:start/end --> section`);
  return text.slice(start, end);
}

test('README lists every operation the router has, and only those', async () => {
  const section = between(await readFile(README, 'utf8'), 'server-apis');
  const listed = new Set<string>();
  for (const line of section.split('\n')) {
    const first = /^\| ([^|]+) \|/.exec(line)?.[1];
    for (const m of first?.matchAll(/`([A-Za-z0-9]+)`/g) ?? []) listed.add(m[1]!);
  }
  const routed = new Set(Object.keys(HANDLERS));
  const missing = [...routed].filter((op) => !listed.has(op));
  const extra = [...listed].filter((op) => !routed.has(op));
  assert.deepEqual(missing, [], `add these operations to README's server-apis table: ${missing.join(', ')}`);
  assert.deepEqual(extra, [], `README lists operations the router does not have: ${extra.join(', ')}`);
});

test("README's 501 list is exactly the sub-resources the router answers NotImplemented", async () => {
  const section = between(await readFile(README, 'utf8'), 'server-501').replace(/\s+/g, ' ');
  const expected: string[] = [];
  for (const name of SUB_RESOURCES) {
    const r = SUB_RESOURCE_ROUTES[name];
    if (r === 'NotImplemented') expected.push(`\`${name}\``);
    else
      for (const level of ['bucket', 'object'] as const)
        if (r[level] === 'NotImplemented') expected.push(`\`${name}\` (${level} level)`);
  }
  const listed = [...section.matchAll(/`[^`]+`(?: \((?:bucket|object) level\))?/g)].map((m) => m[0]);
  assert.deepEqual(
    [...listed].sort(),
    [...expected].sort(),
    `README's 501 list should be: ${expected.join(', ')}`,
  );
});
