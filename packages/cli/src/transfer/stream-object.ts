/** An object's bytes to standard output (`cat`, `cp cos://… -`), stopping quietly when the reader goes away. */
import { CosClientError } from '@coskit/client';
import type { Session } from '../session.js';

export async function streamObject(
  s: Session,
  bucket: string,
  key: string,
  trafficLimit?: number,
  range?: string,
): Promise<void> {
  const r = await s.client.getObject({
    Bucket: bucket,
    Key: key,
    signal: s.signal,
    ...(trafficLimit !== undefined ? { TrafficLimit: trafficLimit } : {}),
    ...(range ? { Range: range } : {}),
  });
  const out = s.stdout;
  const body = r.Body;
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      s.signal.removeEventListener('abort', onAbort);
      out.off('error', onOutError);
      body.unpipe(out);
      if (err) {
        body.destroy();
        reject(err);
      } else resolve();
    };
    const onAbort = () => settle(new CosClientError('COS_ABORTED', 'the request was cancelled'));
    // `coskit cat … | head`: the reader closed the pipe; that is not a failure.
    const onOutError = (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') return settle(err);
      body.destroy();
      settle();
    };
    s.signal.addEventListener('abort', onAbort, { once: true });
    out.on('error', onOutError);
    body.on('error', (err) =>
      settle(new CosClientError('COS_NETWORK', `reading the object failed: ${err.message}`, { cause: err })),
    );
    body.on('end', () => settle());
    body.pipe(out, { end: false });
  });
}
