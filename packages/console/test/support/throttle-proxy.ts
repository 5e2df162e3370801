/**
 * A TCP proxy in front of the server that lets request bytes through at a fixed rate (shared by
 * all connections) and answers at full speed: a slow uplink, so that an upload takes long enough
 * to pause and reload it. (Chromium's DevTools network throttling does not slow request bodies.)
 * The page talks to the proxy as its origin; the Host it signs is the proxy's, which the server
 * checks like any other.
 */

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';

export interface ThrottleProxy {
  readonly port: number;
  close(): Promise<void>;
}

/** @param bytesPerSecond - the uplink's rate, bytes per second, for all connections together. */
export async function throttleProxy(targetPort: number, bytesPerSecond: number): Promise<ThrottleProxy> {
  let nextFree = 0; // when the shared uplink is free again (ms, performance.now())
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      client.pause();
      const now = performance.now();
      const at = Math.max(now, nextFree);
      nextFree = at + (chunk.length / bytesPerSecond) * 1000;
      setTimeout(() => {
        if (upstream.destroyed) return;
        upstream.write(chunk, () => client.resume());
      }, nextFree - now);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
