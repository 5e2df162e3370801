/**
 * Child process of the memory benchmark: `upload-worker.js <port> <file|-> <key>` uploads the file
 * with uploadFile defaults (or, with `-`, only creates the client) and prints its peak RSS as JSON.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coskitClient } from './clients.js';

const [port, file, key] = process.argv.slice(2);
const client = coskitClient(Number(port));
await client.createBucket({ Bucket: 'mem-1250000000' }).catch(() => {});
if (file !== '-') {
  const cp = await mkdtemp(join(tmpdir(), 'coskit-mem-cp-'));
  await client.uploadFile({ Bucket: 'mem-1250000000', Key: key!, LocalFilePath: file!, CheckpointDir: cp });
}
client.destroy();
process.stdout.write(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
