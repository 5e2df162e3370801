/**
 * Configuration people already have (issue 13 item 8) and the connection messages of item 10:
 * coscli's ~/.cos.yaml, the TENCENTCLOUD_* / COS_* variables after COSKIT_*, `config show` naming
 * each source, `config init` under a pseudo-terminal with the SecretKey never echoed, `config
 * delete`, COSKIT_PROFILE=nosuch failing like --profile nosuch, a bare host:port endpoint, the
 * https→http hint, and `serve` with an unwritable --data or a human log.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEVELOPMENT_CREDENTIAL } from '@coskit/server';
import { type CliHarness, startCli, startHarness } from './support/harness.js';
import { renderScreen, startPty } from './support/pty.js';

let h: CliHarness;
let bucket: string;
before(async () => {
  h = await startHarness();
  bucket = await h.bucket();
  await h.client.putObject({ Bucket: bucket, Key: 'hello.txt', Body: 'hi' });
});
after(async () => {
  await h.close();
});

/** An environment with no coskit configuration at all (own config path, own home). */
async function bareEnv(name: string): Promise<Record<string, string | undefined>> {
  const home = join(h.dir, name, 'home');
  await mkdir(home, { recursive: true });
  return { HOME: home, COSKIT_CONFIG: join(h.dir, name, 'config.json'), COSKIT_ENDPOINT: undefined };
}

test("coscli's ~/.cos.yaml is read (keys, bucket region, a bare host:port endpoint); config show names it", async () => {
  const env = await bareEnv('yaml');
  await writeFile(
    join(env['HOME']!, '.cos.yaml'),
    `cos:
  base:
    secretid: ${DEVELOPMENT_CREDENTIAL.secretId}
    secretkey: ${DEVELOPMENT_CREDENTIAL.secretKey}
    sessiontoken: ""
    protocol: http
  buckets:
    - name: ${bucket}
      alias: mine
      region: ap-chengdu
      endpoint: 127.0.0.1:${h.server.port}
`,
  );
  const ls = await h.run(['ls', `cos://${bucket}/`], { env });
  assert.equal(ls.code, 0, ls.stderr);
  assert.match(ls.stdout, /hello\.txt/);
  assert.doesNotMatch(ls.stderr, /nothing configured/);
  const show = await h.run(['config', 'show'], { env });
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^secretId: +AKIDCOSKITDEVELOPMENT0000000000000000 +\(.*\.cos\.yaml\)$/m);
  assert.match(show.stdout, /^secretKey: +cosk\*{8}-000 +\(.*\.cos\.yaml\)$/m);
  assert.match(show.stdout, /^region: +ap-chengdu +\(.*\.cos\.yaml\)$/m);
  assert.match(
    show.stdout,
    new RegExp(`^endpoint: +http://127\\.0\\.0\\.1:${h.server.port} +\\(.*\\.cos\\.yaml\\)$`, 'm'),
  );
  assert.doesNotMatch(show.stdout, /development-secret/);
});

test('TENCENTCLOUD_* and COS_* keys are used after COSKIT_*, and config show says which', async () => {
  const env = { ...(await bareEnv('tc')), COSKIT_ENDPOINT: h.endpoint };
  const tc = {
    ...env,
    TENCENTCLOUD_SECRETID: DEVELOPMENT_CREDENTIAL.secretId,
    TENCENTCLOUD_SECRETKEY: DEVELOPMENT_CREDENTIAL.secretKey,
  };
  const ls = await h.run(['ls', `cos://${bucket}/`], { env: tc });
  assert.equal(ls.code, 0, ls.stderr);
  const show = await h.run(['config', 'show', '--json'], { env: tc });
  const shown = JSON.parse(show.stdout) as { sources: Record<string, string> };
  assert.equal(shown.sources['secretId'], 'env TENCENTCLOUD_SECRETID');
  assert.equal(shown.sources['endpoint'], 'env COSKIT_ENDPOINT');
  const cos = { ...env, COS_SECRET_ID: DEVELOPMENT_CREDENTIAL.secretId, COS_SECRET_KEY: 'wrong-key' };
  const refused = await h.run(['ls', `cos://${bucket}/`], { env: cos });
  assert.equal(refused.code, 3, 'COS_SECRET_ID/KEY are used (a wrong key is refused)');
  const both = { ...tc, COSKIT_SECRET_ID: 'AKIDOTHER', COSKIT_SECRET_KEY: 'other' };
  const order = JSON.parse((await h.run(['config', 'show', '--json'], { env: both })).stdout) as {
    secretId: string;
    sources: Record<string, string>;
  };
  assert.equal(order.secretId, 'AKIDOTHER', "coskit's own variables come first");
  assert.equal(order.sources['secretKey'], 'env COSKIT_SECRET_KEY');
});

test('COSKIT_PROFILE=nosuch fails like --profile nosuch; config delete removes a profile', async () => {
  const env = await bareEnv('profiles');
  const set = await h.run(['config', 'set', '--profile', 'work', '--region', 'ap-beijing'], { env });
  assert.equal(set.code, 0, set.stderr);
  const viaEnv = await h.run(['ls'], { env: { ...env, COSKIT_PROFILE: 'nosuch' } });
  assert.equal(viaEnv.code, 2);
  assert.match(
    viaEnv.stderr,
    /profile "nosuch" \(from COSKIT_PROFILE\) is not in the config file \(there are: work\)/,
  );
  const viaFlag = await h.run(['ls', '--profile', 'nosuch'], { env });
  assert.equal(viaFlag.code, 2);
  assert.match(viaFlag.stderr, /profile "nosuch" is not in the config file/);
  const del = await h.run(['config', 'delete', '--profile', 'work'], { env });
  assert.equal(del.code, 0, del.stderr);
  assert.match(del.stderr, /profile "work" deleted/);
  const config = JSON.parse(await readFile(env['COSKIT_CONFIG']!, 'utf8')) as { profiles: object };
  assert.deepEqual(config.profiles, {});
  const again = await h.run(['config', 'delete', '--profile', 'work'], { env });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /no profile "work"/);
});

test('config init asks on a terminal, never echoes the SecretKey, and saves a profile commands use', async () => {
  const env = (await bareEnv('init')) as Record<string, string>;
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const secret = DEVELOPMENT_CREDENTIAL.secretKey;
  const run = startPty(['config', 'init', '--profile', 'asked'], { cols: 100, rows: 20, env });
  await run.waitFor('SecretId');
  run.type(`${DEVELOPMENT_CREDENTIAL.secretId}\r`);
  await run.waitFor('SecretKey');
  run.type(`${secret}\r`);
  await run.waitFor('Region');
  run.type('\r');
  await run.waitFor('Endpoint');
  run.type(`127.0.0.1:${h.server.port}\r`);
  const { code, raw } = await run.done;
  assert.equal(code, 0, raw);
  assert.ok(!raw.includes(secret), 'the SecretKey is never written to the terminal');
  const screen = (await renderScreen(raw, { cols: 100, rows: 20 })).lines.join('\n');
  assert.match(screen, /SecretKey \(not shown\): \*+/);
  assert.match(screen, /profile "asked" saved to/);
  const saved = JSON.parse(await readFile(env['COSKIT_CONFIG']!, 'utf8')) as {
    profiles: Record<string, Record<string, string>>;
  };
  assert.deepEqual(saved.profiles['asked'], {
    secretId: DEVELOPMENT_CREDENTIAL.secretId,
    secretKey: secret,
    region: 'ap-guangzhou',
    endpoint: `http://127.0.0.1:${h.server.port}`,
  });
  const ls = await h.run(['ls', `cos://${bucket}/`, '--profile', 'asked'], { env });
  assert.equal(ls.code, 0, ls.stderr);
  const noTty = await h.run(['config', 'init'], { env, input: 'x\n' });
  assert.equal(noTty.code, 2);
  assert.match(noTty.stderr, /config init asks its questions on a terminal/);
});

test('an https:// endpoint that speaks http says so; serve fails at once on an unwritable --data; serve logs', async () => {
  const https = h.endpoint.replace('http:', 'https:');
  const r = await h.run(['ls', `cos://${bucket}/`, '--endpoint', https]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, new RegExp(`the server speaks http: use ${h.endpoint.replace(/\./g, '\\.')}`));

  const t0 = performance.now();
  const bad = await startCli(['serve', '--port', '0', '--data', '/proc/nope/data'], {}).done;
  assert.equal(bad.code, 3, bad.stderr);
  assert.match(bad.stderr, /cannot write to --data "\/proc\/nope\/data" \(ENOENT\)/);
  assert.ok(performance.now() - t0 < 10_000, 'fails at once, not after a timeout');

  for (const format of ['human', 'json'] as const) {
    const serve = startCli(['serve', '--port', '0', '--memory', '--log-format', format], {});
    // A server that cannot start fails the test with its output instead of waiting forever.
    await until(() => serve.out().includes('listening on'), serve, 'the ready line');
    const url = /listening on (\S+)/.exec(serve.out())![1]!;
    await fetch(`${url}/nosuchbucket-1250000000/k`).then((res) => res.text());
    await until(() => serve.err().includes('nosuchbucket'), serve, 'the request line');
    serve.child.kill('SIGTERM');
    const out = await serve.done;
    const line = out.stderr.split('\n').find((l) => l.includes('nosuchbucket'));
    assert.ok(line, out.stderr);
    if (format === 'human')
      assert.match(
        line,
        /^\d\d:\d\d:\d\d GET +\S+ +40\d {2}nosuchbucket-1250000000\/k .*\d+ ms {2}\(req \S+\)$/,
      );
    else assert.equal((JSON.parse(line) as { msg: string }).msg, 'request');
  }
});

/** Polls `ready` every 20 ms; fails with the server's output when it exits first or after 15 s. */
async function until(ready: () => boolean, serve: ReturnType<typeof startCli>, what: string): Promise<void> {
  const t0 = performance.now();
  while (!ready()) {
    if (serve.child.exitCode !== null || performance.now() - t0 > 15_000)
      throw new Error(`no ${what} from coskit serve:\n${serve.out()}\n${serve.err()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
