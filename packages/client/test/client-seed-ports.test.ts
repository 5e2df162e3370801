/**
 * Seed ports that follow the mechanical rule (snake_case → camelCase, PascalCase kept, `None` →
 * `null`) compile and run: `Token: null`, `progressCallback` (canonical: `onProgress`), and a
 * `progressCallback: null`. Plus the client's version, written once beside its package.json.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLIENT_VERSION } from '../src/config.js';
import { CosClientError, CosConfig, CosS3Client } from '../src/index.js';
import { REGION, SECRET_ID, SECRET_KEY, startClientHarness } from './support/client-harness.js';

describe('seed ports by the mechanical rule', () => {
  let h: Awaited<ReturnType<typeof startClientHarness>>;
  let client: CosS3Client;
  before(async () => {
    h = await startClientHarness();
    // The seed: token = None  # required for temporary keys but not permanent keys
    const secret_id = SECRET_ID;
    const secret_key = SECRET_KEY;
    const region = REGION;
    const token = null;
    const scheme = 'http';
    const config = new CosConfig({
      Region: region,
      SecretId: secret_id,
      SecretKey: secret_key,
      Token: token,
      Scheme: scheme,
      IP: '127.0.0.1',
      Port: h.server.port,
    });
    client = new CosS3Client(config);
    await client.createBucket({ Bucket: 'examplebucket-1250000000' });
    await writeFile(join(h.dir, 'local.txt'), Buffer.alloc(3 * 1024 * 1024 + 5, 7));
  });
  after(async () => {
    client.destroy();
    await h.close();
  });

  test('Token: null is no token: requests carry no x-cos-security-token and succeed', async () => {
    h.proxy.reset();
    const proxied = h.newClient({ Token: null });
    await proxied.headBucket({ Bucket: 'examplebucket-1250000000' });
    assert.equal(h.proxy.requests.at(-1)?.headers['x-cos-security-token'], undefined);
    assert.throws(
      () =>
        new CosConfig({
          Region: REGION,
          SecretId: SECRET_ID,
          SecretKey: SECRET_KEY,
          Token: 5 as unknown as string,
        }),
      /Token must be a string/,
    );
  });

  test('upload_file(..., progress_callback=upload_percentage) as progressCallback; progress_callback=None as null', async () => {
    const seen: number[] = [];
    const upload_percentage = (consumed_bytes: number, total_bytes: number) => {
      if (total_bytes) seen.push(Math.floor((100 * consumed_bytes) / total_bytes));
    };
    const response = await client.uploadFile({
      Bucket: 'examplebucket-1250000000',
      Key: 'exampleobject',
      LocalFilePath: join(h.dir, 'local.txt'),
      PartSize: 1,
      MAXThread: 5,
      progressCallback: upload_percentage,
      EnableMD5: false,
      MultipartThreshold: 1024 * 1024,
      CheckpointDir: join(h.dir, 'cp'),
    });
    assert.ok(response.ETag);
    assert.equal(seen.at(-1), 100, 'the seed name reaches the callback, ending at 100 %');
    assert.ok(seen.length > 1);
    const none = await client.uploadFile({
      Bucket: 'examplebucket-1250000000',
      Key: 'exampleobject',
      LocalFilePath: join(h.dir, 'local.txt'),
      EnableMD5: false,
      progressCallback: null,
      CheckpointDir: join(h.dir, 'cp'),
    });
    assert.ok(none.ETag);
    const twice = await client
      .uploadFile({
        Bucket: 'examplebucket-1250000000',
        Key: 'exampleobject',
        LocalFilePath: join(h.dir, 'local.txt'),
        onProgress: () => {},
        progressCallback: () => {},
      })
      .catch((e: unknown) => e);
    assert.ok(twice instanceof CosClientError && twice.code === 'COS_INVALID_ARGUMENT', String(twice));
    assert.match((twice as Error).message, /onProgress is canonical/);
  });
});

test("the client's version is its package.json version (the User-Agent carries it)", () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  assert.equal(CLIENT_VERSION, pkg.version);
  assert.equal(
    new CosConfig({ Region: REGION, SecretId: 'a', SecretKey: 'b' }).userAgent,
    `coskit-client/${pkg.version}`,
  );
});
