/**
 * The web console's files, served under `/_console/`. The console is a static single-page app built
 * by `@coskit/console` (esbuild, at `npm run build`) into a directory: `index.html` plus `assets/`
 * whose names carry a content hash. The server never imports the console's code: it reads that
 * directory once at start into memory (the whole console is ~100 KiB) and answers from there, so
 * a request never touches the file system and no request path is ever joined onto a directory.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { contentTypeFromExtension } from '@coskit/protocol';
import { CosHttpError } from './cos-http-error.js';

/** Where the console is mounted (path style, on a host that names no bucket). */
export const CONSOLE_PREFIX = '/_console/';

/** Most bytes of console files held in memory; a directory holding more is refused at start. */
const MAX_CONSOLE_BYTES = 16 * 1024 * 1024;

/** A file name the console may have: one path segment, no dot segments. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Types worth compressing (text); images and fonts are already compressed. */
const COMPRESSIBLE = /^(?:text\/|application\/(?:javascript|json|xml)|image\/svg\+xml)/;

interface Asset {
  readonly body: Buffer;
  /** The gzip form, when smaller. */
  readonly gzip: Buffer | undefined;
  readonly type: string;
  readonly etag: string;
  readonly cacheControl: string;
}

/**
 * What the console's page may do: load its own script and style, compile WebAssembly (the
 * client's CRC-64; `wasm-unsafe-eval` allows that and no JavaScript eval), call this server (same
 * origin, so the signed COS requests need no CORS), show images from `blob:`/`data:`; no framing
 * (clickjacking of Delete buttons).
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  // Share links carry a signature in the query: never leak a URL through Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** The console's files, by path under `/_console/` (`''` is `index.html`). */
export class ConsoleAssets {
  readonly #files: ReadonlyMap<string, Asset>;

  private constructor(files: ReadonlyMap<string, Asset>) {
    this.#files = files;
  }

  /**
   * Reads the built console in `dir`: `index.html` (revalidated on every load: `no-cache`) and the
   * files of `assets/` (content-hashed names: cached for a year, `immutable`). Memory: the files
   * plus their gzip forms, at most {@link MAX_CONSOLE_BYTES}.
   * @param generated - files the server makes for the page (`config.json`), by name; `no-cache`.
   * @throws TypeError when `dir` holds no `index.html` or too many bytes (say what to build).
   */
  static load(dir: string, generated: Readonly<Record<string, string>> = {}): ConsoleAssets {
    const files = new Map<string, Asset>();
    let total = 0;
    const add = (path: string, file: string | Buffer, cacheControl: string) => {
      const body = typeof file === 'string' ? readFileSync(file) : file;
      total += body.byteLength;
      if (total > MAX_CONSOLE_BYTES) {
        throw new TypeError(`console directory ${dir} holds more than ${MAX_CONSOLE_BYTES} bytes.`);
      }
      const type = contentTypeFromExtension(path) ?? 'application/octet-stream';
      const zipped = COMPRESSIBLE.test(type) ? gzipSync(body, { level: 9 }) : undefined;
      files.set(path, {
        body,
        gzip: zipped && zipped.byteLength < body.byteLength ? zipped : undefined,
        type: type.startsWith('text/') || type === 'application/javascript' ? `${type}; charset=utf-8` : type,
        etag: `"${createHash('md5').update(body).digest('hex')}"`,
        cacheControl,
      });
    };
    const index = join(dir, 'index.html');
    if (!isFile(index)) {
      throw new TypeError(
        `console directory ${dir} has no index.html: build the console (npm run build) or turn it off (--no-console).`,
      );
    }
    add('index.html', index, 'no-cache');
    const assetsDir = join(dir, 'assets');
    const names = isDirectory(assetsDir) ? readdirSync(assetsDir) : [];
    for (const name of names.sort()) {
      const file = join(assetsDir, name);
      if (ASSET_NAME.test(name) && isFile(file)) {
        add(`assets/${name}`, file, 'public, max-age=31536000, immutable');
      }
    }
    for (const [name, text] of Object.entries(generated)) add(name, Buffer.from(text, 'utf8'), 'no-cache');
    return new ConsoleAssets(files);
  }

  /** How many files the console has (index.html included). */
  get size(): number {
    return this.#files.size;
  }

  /**
   * Answers `GET|HEAD /_console/<subPath>` (raw, still percent-encoded). `/_console/` is the page;
   * anything that is not one of the console's files is `404 NoSuchKey`; other methods `405`.
   * Conditional GETs (`If-None-Match`) get `304`; `Accept-Encoding: gzip` the compressed form.
   */
  serve(req: IncomingMessage, res: ServerResponse, method: string, subPath: string): void {
    if (method !== 'GET' && method !== 'HEAD') {
      throw new CosHttpError('MethodNotAllowed', 'The console answers GET and HEAD only.');
    }
    const asset = this.#files.get(subPath === '' ? 'index.html' : subPath);
    if (!asset) throw new CosHttpError('NoSuchKey', 'The console has no such file.');
    const headers: Record<string, string | number> = {
      ...SECURITY_HEADERS,
      'Content-Type': asset.type,
      'Cache-Control': asset.cacheControl,
      ETag: asset.etag,
      Vary: 'Accept-Encoding',
    };
    if (ifNoneMatch(req.headers['if-none-match'], asset.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = asset.gzip && acceptsGzip(req.headers['accept-encoding']) ? asset.gzip : undefined;
    const body = gzip ?? asset.body;
    if (gzip) headers['Content-Encoding'] = 'gzip';
    headers['Content-Length'] = body.byteLength;
    res.writeHead(200, headers);
    res.end(method === 'HEAD' ? undefined : body);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** RFC 9110 §13.1.2: a list of entity tags (weak comparison) or `*`. */
function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

/** `gzip` listed with a non-zero weight. */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';');
    if (coding?.trim().toLowerCase() !== 'gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
