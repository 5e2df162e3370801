#!/usr/bin/env node
// Runs every compiled `*.test.js` under packages/*/dist/test with node's test runner. Listing the
// files (instead of passing folders) keeps support modules under test/ from running as tests.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', pkg, 'dist', 'test');
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true });
  } catch {
    continue;
  }
  for (const entry of entries) if (String(entry).endsWith('.test.js')) files.push(join(dir, String(entry)));
}
// A filter that names a package (`cli`, `client`) selects that package's tests; any other filter is
// a substring of the test file's path (`crc64`, `cli/dist/test/cp`).
const packages = new Set(readdirSync(join(root, 'packages')));
const matches = (file, x) =>
  packages.has(x) ? file.startsWith(join(root, 'packages', x, 'dist', 'test') + '/') : file.includes(x);
const filter = process.argv.slice(2);
const selected = filter.length ? files.filter((f) => filter.some((x) => matches(f, x))) : files;
if (selected.length === 0) {
  console.error('no test files found: run `npm run build` first');
  process.exit(1);
}
// A test that hangs (a socket never closed, a promise never settled) fails after 5 minutes instead of
// holding the run until CI's limit; no test is meant to come near it.
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=300000', ...selected],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
