#!/usr/bin/env node
// Builds the console (web/) into dist/web/: index.html plus assets/ with content-hashed names, so
// that the server can cache assets forever and revalidate only index.html. Everything the page
// needs is bundled (Preact, the browser build of @coskit/client): no CDN, works offline.
// Prints the bundle's sizes (raw and gzip), which the README quotes.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist', 'web');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

const result = await build({
  entryPoints: [join(root, 'web', 'main.tsx')],
  outdir: join(out, 'assets'),
  entryNames: 'app-[hash]',
  assetNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const script = outputs.find((n) => n.endsWith('.js'));
const style = outputs.find((n) => n.endsWith('.css'));
if (!script || !style) throw new Error(`build-web: expected one .js and one .css, got ${outputs.join(', ')}`);
const html = readFileSync(join(root, 'web', 'index.html'), 'utf8')
  .replace('%SCRIPT%', `assets/${script}`)
  .replace('%STYLE%', `assets/${style}`);
writeFileSync(join(out, 'index.html'), html);

const size = (name) => {
  const bytes = readFileSync(join(out, 'assets', name));
  return `${(bytes.length / 1024).toFixed(1)} KiB (${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzip)`;
};
console.log(`console: ${script} ${size(script)}, ${style} ${size(style)} → ${out}`);
