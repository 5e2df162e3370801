/**
 * Peer for the upload benchmarks: a Node HTTP server that reads every request body and throws it
 * away — the fastest a single HTTP PUT over loopback can go on this machine, with no disk and no
 * hashing. Run as `node discard-server.js`; prints `listening on http://…`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
