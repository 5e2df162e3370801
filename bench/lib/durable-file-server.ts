/**
 * Baseline peer for the small-PUT benchmark: the least a durable object server must do per PUT —
 * write the body to a temp file, fsync, rename, fsync the directory — with no auth, no metadata
 * and no hashing. Run as `node durable-file-server.js <dir>`; prints `listening on http://…`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: durable-file-server.js <dir>');
await mkdir(join(dir, 'tmp'), { recursive: true });
await mkdir(join(dir, 'final'), { recursive: true });

const server = createServer(async (req, res) => {
  const id = randomBytes(16).toString('hex');
  const tmp = join(dir, 'tmp', id);
  const file = await open(tmp, 'w');
  for await (const chunk of req) await file.write(chunk as Buffer);
  await file.sync();
  await file.close();
  await rename(tmp, join(dir, 'final', id));
  const d = await open(join(dir, 'final'), 'r');
  await d.sync();
  await d.close();
  res.writeHead(200, { 'content-length': 0 });
  res.end();
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
