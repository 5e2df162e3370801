/**
 * Peer for the small-GET benchmark: serves `GET /<name>` from the files of one directory (read
 * whole with `readFile`, no auth, no metadata) — what a GET costs with nothing but the file read.
 * `PUT /<name>` writes a file (not durable: it only prepares the data). Run as
 * `node file-read-server.js <dir>`; prints `listening on http://…`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: file-read-server.js <dir>');

const server = createServer(async (req, res) => {
  const name = (req.url ?? '/').slice(1).replace(/[^A-Za-z0-9._-]/g, '_');
  try {
    if (req.method === 'PUT') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      await writeFile(join(dir, name), Buffer.concat(chunks));
      res.writeHead(200, { 'content-length': 0 });
      res.end();
      return;
    }
    const body = await readFile(join(dir, name));
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-length': 0 });
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
