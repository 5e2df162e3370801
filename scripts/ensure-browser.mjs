#!/usr/bin/env node
// Test setup: makes sure a Chromium for the browser tests is on this machine. Browser tests never skip,
// so a fresh machine gets Debian's `chromium` package here (as root, with apt-get) and anything else fails
// with what to do. Nothing downloads a browser build of its own (puppeteer-core is only a driver).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = [process.env.COSKIT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  Boolean,
);
const found = () => CANDIDATES.find((p) => existsSync(p));

if (!found()) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    console.error(
      "ensure-browser: no Chromium found for the browser tests. Install Debian's package (apt-get install chromium) " +
        'or set COSKIT_CHROMIUM to a Chromium binary.',
    );
    process.exit(1);
  }
  console.log("ensure-browser: installing Debian's chromium for the browser tests (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'chromium'],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(`ensure-browser: apt-get ${args.join(' ')} failed (exit ${r.status})`);
      process.exit(1);
    }
  }
}
const path = found();
if (!path) {
  console.error('ensure-browser: chromium was installed but is not at /usr/bin/chromium');
  process.exit(1);
}
const version = spawnSync(path, ['--version'], { encoding: 'utf8' });
if (version.status !== 0) {
  console.error(`ensure-browser: ${path} --version failed: ${version.stderr}`);
  process.exit(1);
}
console.log(`ensure-browser: ${version.stdout.trim()} at ${path}`);
