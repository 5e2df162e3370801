/**
 * A replaced SSE-COS key file (`<data>/sse-cos.key` changed while objects encrypted with the old
 * key exist): the server warns at startup how many records it cannot decrypt, and every request
 * that would need the old key is a COS-style 403 InvalidObjectState naming no key id, never a 500;
 * new SSE-COS writes work under the new key.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { startServer } from '../src/index.js';
import { serverKeyOf } from '../src/store/encryption.js';
import { REGION } from './support/harness.js';
import { errorCode, type RawRequest, rawRequest } from './support/raw.js';

const Bucket = 'ssekey-1250000000';
const SSE = { 'x-cos-server-side-encryption': 'AES256' };

test('a replaced SSE-COS key file: a startup warning, then 403 InvalidObjectState without key ids', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'coskit-sse-key-'));
  try {
    const first = await startServer({ port: 0, dataDir, logLevel: 'silent', region: REGION });
    const req = (port: number, r: Omit<RawRequest, 'port' | 'bucket'>) =>
      rawRequest({ port, bucket: Bucket, ...r });
    let uploadId = '';
    try {
      assert.equal((await req(first.port, { method: 'PUT' })).status, 200);
      const put = await req(first.port, { method: 'PUT', key: 'secret.txt', headers: SSE, body: 'old key' });
      assert.equal(put.status, 200);
      const init = await req(first.port, {
        method: 'POST',
        key: 'big.bin',
        query: { uploads: '' },
        headers: SSE,
      });
      uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.text)?.[1] ?? '';
      assert.ok(uploadId, init.text);
    } finally {
      await first.close();
    }
    const keyFile = join(dataDir, 'sse-cos.key');
    const oldId = serverKeyOf(Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64')).id;
    const newKey = randomBytes(32);
    await writeFile(keyFile, `${newKey.toString('base64')}\n`);
    const newId = serverKeyOf(newKey).id;

    const log = new PassThrough();
    let logged = '';
    log.on('data', (chunk: Buffer) => {
      logged += chunk.toString('utf8');
    });
    const second = await startServer({
      port: 0,
      dataDir,
      logLevel: 'warn',
      region: REGION,
      logDestination: log,
    });
    try {
      // The check runs in the background after listen: poll for its line.
      for (let i = 0; i < 200 && !logged.includes('SSE-COS'); i++)
        await new Promise((r) => setTimeout(r, 25));
      const warning = logged.split('\n').find((line) => line.includes('SSE-COS'));
      assert.ok(warning, `no startup warning; log: ${logged}`);
      const parsed = JSON.parse(warning) as { level: number; records: number; msg: string };
      assert.equal(parsed.level, 40, 'a warning');
      assert.equal(parsed.records, 2, 'the object and the upload');
      assert.match(parsed.msg, /key file was replaced or lost/);

      const refusals: [string, Omit<RawRequest, 'port' | 'bucket'>][] = [
        ['GET', { method: 'GET', key: 'secret.txt' }],
        ['GET range', { method: 'GET', key: 'secret.txt', headers: { range: 'bytes=0-2' } }],
        ['Upload Part', { method: 'PUT', key: 'big.bin', query: { partNumber: '1', uploadId }, body: 'x' }],
        [
          'copy',
          {
            method: 'PUT',
            key: 'copy.txt',
            headers: { ...SSE, 'x-cos-copy-source': `${Bucket}.cos.${REGION}.myqcloud.com/secret.txt` },
          },
        ],
      ];
      for (const [name, r] of refusals) {
        const res = await req(second.port, r);
        assert.equal(res.status, 403, `${name}: ${res.text}`);
        assert.equal(errorCode(res), 'InvalidObjectState', name);
        assert.match(res.text, /<Message>[^<]*key file was replaced or lost[^<]*<\/Message>/, name);
        assert.match(res.text, /<RequestId>[^<]+<\/RequestId>/, `${name}: a full <Error> body`);
        assert.ok(!res.text.includes(oldId) && !res.text.includes(newId), `${name}: names no key id`);
      }
      // New SSE-COS objects are written and read under the new key.
      const put = await req(second.port, { method: 'PUT', key: 'fresh.txt', headers: SSE, body: 'new key' });
      assert.equal(put.status, 200);
      const got = await req(second.port, { method: 'GET', key: 'fresh.txt' });
      assert.equal(got.status, 200);
      assert.equal(got.text, 'new key');
    } finally {
      await second.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
