/**
 * Ending a connection whose client may still be sending. Closing a socket with received bytes
 * unread makes the kernel send a TCP reset, and a reset can make the client drop the answer it has
 * not read yet (RFC 9112 §9.6). So the server half-closes instead: FIN once the answer is flushed,
 * then it reads and drops what still comes until the client closes or {@link LINGER_MS} pass.
 */
import type { Socket } from 'node:net';

/** How long a connection stays half-closed after an answer that left request bytes unread (ms). */
export const LINGER_MS = 2000;

const lingering = new WeakSet<Socket>();

/**
 * Makes `socket`'s next close a lingering one. Node ends a `Connection: close` exchange with
 * `socket.destroySoon()` once the response is flushed; this replaces it on this socket with
 * end → read and drop → destroy. Idempotent; costs one timer per closing connection.
 */
export function lingerOnClose(socket: Socket): void {
  if (lingering.has(socket)) return;
  lingering.add(socket);
  let started = false;
  socket.destroySoon = () => {
    if (started) return;
    started = true;
    socket.end();
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('end', () => socket.destroy());
    socket.once('close', () => clearTimeout(timer));
  };
}

/** Whether {@link lingerOnClose} was called on `socket` (its parse errors are expected, not news). */
export function isLingering(socket: Socket): boolean {
  return lingering.has(socket);
}
