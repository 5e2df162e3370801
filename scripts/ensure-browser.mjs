#!/usr/bin/env node
// Test setup: makes sure the browsers of the browser tests — Chromium and Firefox — are on this machine.
// Browser tests never skip, so a fresh machine gets Debian's `chromium` and `firefox-esr` packages here (as
// root, with apt-get) and anything else fails with what to do. Nothing downloads a browser build of its
// own (puppeteer-core is only a driver). The paths must match packages/test-support/src/browser.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Each browser: the environment override and Debian paths the tests look at, the apt package, and the
 * extra apt-get flags. firefox-esr's only Recommends are FFmpeg's codecs (libavcodec, ~30 packages and
 * a Mesa upgrade), which headless tests never use.
 */
const BROWSERS = [
  {
    label: 'Chromium',
    env: 'COSKIT_CHROMIUM',
    paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser'],
    apt: 'chromium',
    flags: [],
  },
  {
    label: 'Firefox',
    env: 'COSKIT_FIREFOX',
    paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
    apt: 'firefox-esr',
    flags: ['--no-install-recommends'],
  },
];
const found = (b) => [process.env[b.env], ...b.paths].filter(Boolean).find((p) => existsSync(p));

const missing = BROWSERS.filter((b) => !found(b));
if (missing.length) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    for (const b of missing)
      console.error(
        `ensure-browser: no ${b.label} found for the browser tests. Install Debian's package ` +
          `(apt-get install ${b.apt}) or set ${b.env} to a ${b.label} binary.`,
      );
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => {
    const started = Date.now();
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(`ensure-browser: apt-get ${args.join(' ')} failed (exit ${r.status})`);
      process.exit(1);
    }
    return ((Date.now() - started) / 1000).toFixed(1);
  };
  console.log(`ensure-browser: installing Debian's ${missing.map((b) => b.apt).join(' and ')} (apt-get)…`);
  apt(['update', '-qq']);
  for (const b of missing) {
    const seconds = apt(['install', '-y', '-qq', ...b.flags, b.apt]);
    console.log(`ensure-browser: ${b.apt} installed in ${seconds} s`);
  }
}
for (const b of BROWSERS) {
  const path = found(b);
  if (!path) {
    console.error(`ensure-browser: ${b.apt} was installed but is not at ${b.paths.join(' or ')}`);
    process.exit(1);
  }
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) {
    console.error(`ensure-browser: ${path} --version failed: ${version.stderr}`);
    process.exit(1);
  }
  console.log(`ensure-browser: ${version.stdout.trim()} at ${path}`);
}
