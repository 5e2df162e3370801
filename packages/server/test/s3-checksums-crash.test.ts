/**
 * kill -9 during S3 multipart uploads with checksums: after a restart every acknowledged part is
 * listed with its checksum, every acknowledged Complete reads back whole with its COMPOSITE or
 * FULL_OBJECT checksum, and an upload whose Complete was not acknowledged is either still an upload
 * with its parts or a whole object — never an object without its checksum.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListPartsCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { awsChecksumOf, LIMITS } from '@coskit/protocol';
import * as crash from './support/crash-server.js';
import type { Harness } from './support/harness.js';
import { s3Client } from './support/s3.js';

const Bucket = 'crashsum-1250000000';
const clientFor = (port: number): S3Client => s3Client({ server: { port } } as Harness);

interface Upload {
  key: string;
  uploadId: string;
  full: boolean;
  parts: Buffer[];
  /** Parts whose UploadPart was answered 200. */
  ackedParts: number;
  completeSent: boolean;
  completed: boolean;
}

const composite = (parts: Buffer[]) =>
  `${awsChecksumOf('crc32c', Buffer.concat(parts.map((p) => Buffer.from(awsChecksumOf('crc32c', p)!, 'base64'))))}-${parts.length}`;

test(
  'kill -9 during S3 multipart uploads with checksums: acknowledged parts and objects keep theirs',
  { timeout: 120_000 },
  () =>
    crash.withDataDir('coskit-crash-sum-', async (dataDir) => {
      let server = await crash.spawnServer(dataDir);
      let s3 = clientFor(server.port);
      await s3.send(new CreateBucketCommand({ Bucket }));
      const uploads: Upload[] = [];
      let stop = false;
      const worker = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const full = (w + i) % 2 === 0;
          const key = `w${w}/${i}`;
          const created = await s3
            .send(
              new CreateMultipartUploadCommand({
                Bucket,
                Key: key,
                ChecksumAlgorithm: 'CRC32C',
                ChecksumType: full ? 'FULL_OBJECT' : 'COMPOSITE',
              }),
            )
            .catch(() => undefined);
          if (!created) return;
          const u: Upload = {
            key,
            uploadId: created.UploadId!,
            full,
            parts: [randomBytes(LIMITS.minPartSize), randomBytes(1 + Math.floor(Math.random() * 50_000))],
            ackedParts: 0,
            completeSent: false,
            completed: false,
          };
          uploads.push(u);
          const listed = [];
          for (const [n, Body] of u.parts.entries()) {
            const part = await s3
              .send(
                new UploadPartCommand({
                  Bucket,
                  Key: key,
                  UploadId: u.uploadId,
                  PartNumber: n + 1,
                  Body,
                  ChecksumAlgorithm: 'CRC32C',
                }),
              )
              .catch(() => undefined);
            if (!part) return;
            u.ackedParts = n + 1;
            listed.push({ PartNumber: n + 1, ETag: part.ETag, ChecksumCRC32C: part.ChecksumCRC32C });
          }
          u.completeSent = true;
          const done = await s3
            .send(
              new CompleteMultipartUploadCommand({
                Bucket,
                Key: key,
                UploadId: u.uploadId,
                MultipartUpload: { Parts: listed },
              }),
            )
            .catch(() => undefined);
          if (!done) return;
          u.completed = true;
        }
      };
      const loops = [worker(0), worker(1)];
      const acked = () => uploads.filter((u) => u.completed).length;
      await crash.killWhenAcknowledged(server, {
        acked,
        atLeast: 2,
        waitMs: 60_000,
        jitterMs: 200,
        stop: () => {
          stop = true;
        },
        loops,
      });
      s3.destroy();
      assert.ok(acked() >= 2, 'some uploads completed before the kill');

      server = await crash.spawnServer(dataDir);
      s3 = clientFor(server.port);
      try {
        for (const u of uploads) {
          const expected = u.full ? awsChecksumOf('crc32c', Buffer.concat(u.parts)) : composite(u.parts);
          const got = await s3
            .send(new GetObjectCommand({ Bucket, Key: u.key, ChecksumMode: 'ENABLED' }))
            .catch((e: { name?: string }) => e);
          if ('Body' in got && got.Body) {
            assert.ok(u.completeSent, `${u.key} exists only if its Complete was sent`);
            assert.equal(got.ChecksumCRC32C, expected, u.key);
            assert.equal(got.ChecksumType, u.full ? 'FULL_OBJECT' : 'COMPOSITE');
            assert.ok(Buffer.from(await got.Body.transformToByteArray()).equals(Buffer.concat(u.parts)));
            continue;
          }
          assert.equal((got as { name?: string }).name, 'NoSuchKey', u.key);
          assert.equal(u.completed, false, `${u.key}: an acknowledged Complete survives`);
          const parts = await s3.send(new ListPartsCommand({ Bucket, Key: u.key, UploadId: u.uploadId }));
          assert.equal(parts.ChecksumAlgorithm, 'CRC32C');
          const listed = parts.Parts ?? [];
          assert.ok(listed.length >= u.ackedParts, `${u.key}: acknowledged parts survive`);
          for (const p of listed) {
            assert.equal(p.ChecksumCRC32C, awsChecksumOf('crc32c', u.parts[p.PartNumber! - 1]!));
          }
        }
      } finally {
        s3.destroy();
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }),
);
