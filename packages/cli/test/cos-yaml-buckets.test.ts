/**
 * coscli's per-bucket entries of ~/.cos.yaml (issue 13 item 8, what was left): `cos.buckets:
 * [{ name, alias, region, endpoint }]` — `cos://<alias>/…` names the entry's bucket (alias before
 * name, as coscli's FindBucket), and a command on a listed bucket connects with that bucket's own
 * endpoint and region. Two real `coskit serve` processes play two endpoints; pre-signed URLs (no
 * request) show the region; a copy between the two servers is refused. The real `coskit`, spawned.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CosConfig, CosS3Client } from '@coskit/client';
import { DEVELOPMENT_CREDENTIAL, type RunningServer, startServer } from '@coskit/server';
import { type CliHarness, startHarness } from './support/harness.js';

let h: CliHarness;
let second: RunningServer;
let secondClient: CosS3Client;
before(async () => {
  h = await startHarness();
  second = await startServer({ port: 0, dataDir: join(h.dir, 'data-2'), logLevel: 'silent' });
  secondClient = new CosS3Client(
    new CosConfig({
      Region: 'ap-beijing',
      SecretId: DEVELOPMENT_CREDENTIAL.secretId,
      SecretKey: DEVELOPMENT_CREDENTIAL.secretKey,
      Scheme: 'http',
      IP: '127.0.0.1',
      Port: second.port,
    }),
  );
});
after(async () => {
  secondClient.destroy();
  await second.close();
  await h.close();
});

/** An environment whose only configuration is this ~/.cos.yaml (no COSKIT_ENDPOINT, no profile). */
async function yamlEnv(name: string, yaml: string): Promise<Record<string, string | undefined>> {
  const home = join(h.dir, name, 'home');
  await mkdir(home, { recursive: true });
  await writeFile(join(home, '.cos.yaml'), yaml);
  return { HOME: home, COSKIT_CONFIG: join(h.dir, name, 'config.json'), COSKIT_ENDPOINT: undefined };
}

const base = `cos:
  base:
    secretid: ${DEVELOPMENT_CREDENTIAL.secretId}
    secretkey: ${DEVELOPMENT_CREDENTIAL.secretKey}
    protocol: http
`;

test('cos://alias/… names the entry’s bucket, and each bucket is reached at its own endpoint', async () => {
  const one = await h.bucket();
  const two = `t${process.pid}two-1250000000`;
  await secondClient.createBucket({ Bucket: two });
  await h.client.putObject({ Bucket: one, Key: 'a.txt', Body: 'on the first server' });
  await secondClient.putObject({ Bucket: two, Key: 'b.txt', Body: 'on the second server' });
  const env = await yamlEnv(
    'endpoints',
    `${base}  buckets:
    - name: ${one}
      alias: one
      region: ap-chengdu
      endpoint: 127.0.0.1:${h.server.port}
    - name: ${two}
      alias: two
      region: ap-beijing
      endpoint: 127.0.0.1:${second.port}
`,
  );
  const first = await h.run(['ls', 'cos://one/'], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /a\.txt/);
  assert.doesNotMatch(first.stdout, /b\.txt/);
  const other = await h.run(['ls', 'cos://two/'], { env });
  assert.equal(other.code, 0, other.stderr);
  assert.match(other.stdout, /b\.txt/, 'the second bucket is listed on the second server');
  // By its name too (the entry is found by name when no alias matches).
  const byName = await h.run(['cat', `cos://${two}/b.txt`], { env });
  assert.equal(byName.code, 0, byName.stderr);
  assert.equal(byName.stdout, 'on the second server');

  // An upload to an alias lands in that bucket, on that server; lines name the real bucket.
  const local = join(h.dir, 'up.txt');
  await writeFile(local, 'uploaded through an alias');
  const up = await h.run(['cp', local, 'cos://two/up.txt'], { env });
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, new RegExp(`-> cos://${two}/up\\.txt`));
  const r = await secondClient.getObject({ Bucket: two, Key: 'up.txt' });
  const chunks: Buffer[] = [];
  for await (const c of r.Body) chunks.push(c as Buffer);
  assert.equal(Buffer.concat(chunks).toString(), 'uploaded through an alias');
  await assert.rejects(h.client.headObject({ Bucket: one, Key: 'up.txt' }), { statusCode: 404 });

  // A server-side copy within the aliased bucket.
  const copied = await h.run(['cp', 'cos://one/a.txt', 'cos://one/copy.txt'], { env });
  assert.equal(copied.code, 0, copied.stderr);
  assert.equal((await h.get(one, 'copy.txt')).toString(), 'on the first server');

  // Between the two servers no server-side copy can run: refused before any request.
  for (const args of [
    ['cp', 'cos://one/a.txt', 'cos://two/a.txt'],
    ['sync', 'cos://one/', 'cos://two/mirror/'],
  ]) {
    const across = await h.run(args, { env });
    assert.equal(across.code, 2, across.stderr);
    assert.match(across.stderr, /a server-side copy runs on one server/);
  }
  await assert.rejects(secondClient.headObject({ Bucket: two, Key: 'a.txt' }), { statusCode: 404 });

  // A name that is no alias and no bucket name is still refused before any request.
  const unknown = await h.run(['ls', 'cos://three/'], { env });
  assert.equal(unknown.code, 2, unknown.stderr);
});

test('each listed bucket signs for its own region; flags still win; unlisted buckets take the first entry’s', async () => {
  const env = await yamlEnv(
    'regions',
    `${base}  buckets:
    - name: gzbucket-1250000000
      alias: gz
      region: ap-guangzhou
      endpoint: cos.ap-guangzhou.myqcloud.com
    - name: cdbucket-1250000000
      alias: cd
      region: ap-chengdu
`,
  );
  const url = async (args: string[]) => {
    const r = await h.run(['presign', ...args], { env });
    assert.equal(r.code, 0, r.stderr);
    return new URL(r.stdout.trim());
  };
  assert.equal((await url(['cos://cd/k.txt'])).host, 'cdbucket-1250000000.cos.ap-chengdu.myqcloud.com');
  assert.equal((await url(['cos://gz/k.txt'])).host, 'gzbucket-1250000000.cos.ap-guangzhou.myqcloud.com');
  assert.equal(
    (await url(['cos://cdbucket-1250000000/k.txt'])).host,
    'cdbucket-1250000000.cos.ap-chengdu.myqcloud.com',
  );
  assert.equal(
    (await url(['cos://other-1250000000/k.txt'])).host,
    'other-1250000000.cos.ap-guangzhou.myqcloud.com',
    'a bucket the file does not list: the first entry’s region',
  );
  assert.equal(
    (await url(['cos://cd/k.txt', '--region', 'ap-shanghai'])).host,
    'cdbucket-1250000000.cos.ap-shanghai.myqcloud.com',
    '--region comes first',
  );
});
