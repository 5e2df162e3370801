/**
 * A separate process that runs `uploadFile` (so a test can kill -9 it mid-upload).
 * argv: port file key checkpointDir partSizeMiB threads. Prints `progress <bytes>` lines and, at
 * the end, `result <json>`.
 */
import { CosConfig, CosS3Client } from '../../src/index.js';

const [port, file, key, checkpointDir, partSize, threads] = process.argv.slice(2);
const client = new CosS3Client(
  new CosConfig({
    Region: 'ap-guangzhou',
    SecretId: 'AKIDCOSKITDEVELOPMENT0000000000000000',
    SecretKey: 'coskit-development-secret-key-000',
    Scheme: 'http',
    IP: '127.0.0.1',
    Port: Number(port),
  }),
);
const result = await client.uploadFile({
  Bucket: 'resume-1250000000',
  Key: key!,
  LocalFilePath: file!,
  CheckpointDir: checkpointDir!,
  PartSize: Number(partSize),
  MAXThread: Number(threads),
  ProgressInterval: 0,
  onProgress: (bytes) => process.stdout.write(`progress ${bytes}\n`),
});
process.stdout.write(
  `result ${JSON.stringify({ partsSent: result.partsSent, bytesSent: result.bytesSent, crc: result['x-cos-hash-crc64ecma'] })}\n`,
);
client.destroy();
