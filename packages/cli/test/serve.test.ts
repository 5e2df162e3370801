import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/coskit.js', import.meta.url));

function runCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const exit = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { child, exit, out: () => stdout, err: () => stderr };
}

test('coskit serve prints its ready line, answers requests, and stops cleanly on SIGTERM', async () => {
  const data = await mkdtemp(join(tmpdir(), 'coskit-cli-serve-'));
  try {
    const cli = runCli(['serve', '--port', '0', '--data', data, '--log-level', 'silent', '--cors', '*']);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line: ${cli.out()} ${cli.err()}`)), 15_000);
      cli.child.stdout.on('data', () => {
        const m = /^coskit server listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(cli.out());
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    assert.match(cli.err(), /development key pair/);
    const res = await fetch(`${url}/`);
    assert.equal(res.status, 403, 'an anonymous GET Service is refused');
    assert.match(await res.text(), /<Code>AccessDenied<\/Code>/);
    // --cors '*': a preflight from any page is allowed by the default rule.
    const preflight = await fetch(`${url}/`, {
      method: 'OPTIONS',
      headers: { origin: 'http://page.test', 'access-control-request-method': 'PUT' },
    });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'PUT,GET,POST,DELETE,HEAD');
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exit, 0);
  } finally {
    await rm(data, { recursive: true, force: true });
  }
});

test('bad serve arguments exit 2 before doing anything, saying what to change', async () => {
  const port = runCli(['serve', '--port', 'abc']);
  assert.equal(await port.exit, 2);
  assert.match(port.err(), /--port must be an integer from 0 to 65535; got "abc"/);
  const half = runCli(['serve', '--secret-id', 'AKIDX']);
  assert.equal(await half.exit, 2);
  assert.match(half.err(), /give both --secret-id and --secret-key/);
  const cors = runCli(['serve', '--cors', 'http://*.*.test']);
  assert.equal(await cors.exit, 2);
  assert.match(cors.err(), /--cors origin "http:\/\/\*\.\*\.test" has more than one "\*"/);
  const unknown = runCli(['serve', '--nope']);
  assert.equal(await unknown.exit, 2);
  assert.match(unknown.err(), /unknown option '--nope'/);
});

test('coskit --help and --version', async () => {
  const help = runCli(['--help']);
  assert.equal(await help.exit, 0);
  assert.match(help.out(), /serve/);
  const version = runCli(['--version']);
  assert.equal(await version.exit, 0);
  assert.match(version.out(), /^0\.1\.0$/m);
});

test('connection-limit flags reach the server: a client that sends no headers is cut off', async () => {
  const cli = runCli([
    'serve',
    '--port',
    '0',
    '--memory',
    '--log-level',
    'silent',
    '--headers-timeout',
    '300',
  ]);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line: ${cli.out()} ${cli.err()}`)), 15_000);
      cli.child.stdout.on('data', () => {
        const m = /^coskit server listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(cli.out());
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const { port } = new URL(url);
    const started = Date.now();
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (c: Buffer) => {
      received += c.toString();
    });
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('close', resolve));
    assert.ok(Date.now() - started < 5000, `idle connection lived ${Date.now() - started} ms`);
    assert.match(received, /<Code>RequestTimeout<\/Code>/);
  } finally {
    cli.child.kill('SIGTERM');
    await cli.exit;
  }
  for (const [flag, value] of [
    ['--headers-timeout', 'soon'],
    ['--max-connections', '0'],
    ['--request-idle-timeout', '1e3'],
    ['--keep-alive-timeout', '1.5'],
  ] as const) {
    const bad = runCli(['serve', flag, value]);
    assert.equal(await bad.exit, 2, flag);
    assert.match(bad.err(), new RegExp(`${flag} must be an integer`));
  }
});

/** Waits for `pattern` on the command's standard output; its first group. */
function outputMatch(cli: ReturnType<typeof runCli>, pattern: RegExp): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${cli.out()} ${cli.err()}`)), 15_000);
    const check = () => {
      const m = pattern.exec(cli.out());
      if (!m) return;
      clearTimeout(timer);
      cli.child.stdout.off('data', check);
      resolve(m[1]!);
    };
    cli.child.stdout.on('data', check);
    check();
  });
}

test('coskit serve serves the built web console at /_console/; --no-console turns it off (404 NoSuchBucket)', async () => {
  const on = runCli(['serve', '--port', '0', '--memory', '--log-level', 'silent']);
  try {
    const url = await outputMatch(on, /^coskit server listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
    const consoleUrl = await outputMatch(on, /^coskit console at (http:\/\/127\.0\.0\.1:\d+\/_console\/)$/m);
    assert.equal(consoleUrl, `${url}/_console/`);
    const page = await fetch(consoleUrl);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = await page.text();
    // The page of @coskit/console's build, with its hashed bundle, which the server serves too.
    const script = /<script type="module" src="(assets\/app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    assert.ok(script, html);
    const bundle = await fetch(`${consoleUrl}${script}`);
    assert.equal(bundle.status, 200);
    assert.equal(bundle.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.ok((await bundle.arrayBuffer()).byteLength > 10_000);
  } finally {
    on.child.kill('SIGTERM');
    await on.exit;
  }

  const off = runCli(['serve', '--port', '0', '--memory', '--log-level', 'silent', '--no-console']);
  try {
    const url = await outputMatch(off, /^coskit server listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
    const page = await fetch(`${url}/_console/`);
    assert.equal(page.status, 404);
    assert.match(await page.text(), /<Code>NoSuchBucket<\/Code><Message>[^<]*--no-console/);
    assert.doesNotMatch(off.out(), /console at/);
  } finally {
    off.child.kill('SIGTERM');
    await off.exit;
  }
});
