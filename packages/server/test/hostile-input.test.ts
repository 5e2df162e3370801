import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { signRequest } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL } from '../src/index.js';
import { bucketName, call, type Harness, REGION, startHarness } from './support/harness.js';
import { errorCode, rawRequest } from './support/raw.js';

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

describe('hostile input: right COS error, nothing on disk changes, the server stays up', () => {
  let h: Harness;
  const Bucket = bucketName();
  before(async () => {
    h = await startHarness();
    await call(h.cos, 'putBucket', { Bucket, Region: REGION });
  });
  after(() => h.close());

  test('path-traversal keys are just keys: stored under random blob names, never as paths', async () => {
    // The path encoding keeps these dots literal (`./` → `.%2F`, as the Python SDK sends them);
    // bare `.`/`..` segments and leading slashes are covered in odd-keys.test.ts.
    const keys = ['../../etc/passwd', '..%2F..%2Fx', 'abs/../../../path', 'a/../../b', '.../...'];
    for (const key of keys) {
      const put = await rawRequest({
        port: h.server.port,
        method: 'PUT',
        bucket: Bucket,
        key,
        body: `content of ${key}`,
      });
      assert.equal(put.status, 200, `${key}: ${put.text}`);
      const get = await rawRequest({ port: h.server.port, method: 'GET', bucket: Bucket, key });
      assert.equal(get.text, `content of ${key}`);
    }
    for (const file of await listTree(h.dataDir)) {
      assert.ok(file.startsWith(h.dataDir), file);
      assert.ok(!file.includes('passwd') && !file.includes('abs'), file);
    }
  });

  test('keys with NUL or over 850 bytes are refused and store nothing', async () => {
    const before = await listTree(join(h.dataDir, 'blobs'));
    const nul = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Bucket,
      rawPath: '/a%00b',
      body: 'x',
      sign: { pathname: '/a\u0000b' },
    });
    assert.equal(nul.status, 400);
    assert.equal(errorCode(nul), 'InvalidObjectName');
    const long = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Bucket,
      key: 'k'.repeat(851),
      body: 'x',
    });
    assert.equal(long.status, 400);
    assert.equal(errorCode(long), 'KeyTooLong');
    const badEscape = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      rawPath: '/%E0%A4%A',
      sign: false,
    });
    assert.equal(badEscape.status, 400);
    assert.equal(errorCode(badEscape), 'InvalidURI');
    assert.deepEqual(await listTree(join(h.dataDir, 'blobs')), before);
  });

  test('oversized metadata and headers are refused', async () => {
    const meta = await rawRequest({
      port: h.server.port,
      method: 'PUT',
      bucket: Bucket,
      key: 'm',
      body: 'x',
      headers: { 'x-cos-meta-big': 'v'.repeat(2100) },
    });
    assert.equal(meta.status, 400);
    assert.equal(errorCode(meta), 'MetadataTooLarge');
    const headers = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'm',
      headers: { 'x-junk': 'j'.repeat(20_000) },
    });
    assert.equal(headers.status, 400);
    assert.equal(errorCode(headers), 'RequestHeaderSectionTooLarge');
    const huge = await rawRequest({
      port: h.server.port,
      method: 'GET',
      bucket: Bucket,
      key: 'm',
      headers: { 'x-junk': 'j'.repeat(100_000) },
      sign: false,
    });
    assert.equal(huge.status, 400);
    assert.equal(errorCode(huge), 'RequestHeaderSectionTooLarge');
  });

  test('malformed and huge Complete bodies are MalformedXML / XMLSizeLimit', async () => {
    const init = await call(h.cos, 'multipartInit', { Bucket, Region: REGION, Key: 'mp' });
    const UploadId = init.data.UploadId as string;
    const complete = (body: string) =>
      rawRequest({
        port: h.server.port,
        method: 'POST',
        bucket: Bucket,
        key: 'mp',
        query: { uploadId: UploadId },
        body,
      });
    for (const body of [
      'not xml',
      '<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>"a"</ETag></Part></CompleteMultipartUpload>',
      '<Other/>',
      '<!DOCTYPE x [<!ENTITY a "b">]><CompleteMultipartUpload/>',
    ]) {
      const r = await complete(body);
      assert.equal(r.status, 400, body);
      assert.equal(errorCode(r), 'MalformedXML', body);
    }
    const huge = await complete(
      `<CompleteMultipartUpload>${'<Part><PartNumber>1</PartNumber><ETag>"a"</ETag></Part>'.repeat(50_000)}</CompleteMultipartUpload>`,
    );
    assert.equal(huge.status, 400);
    assert.equal(errorCode(huge), 'XMLSizeLimit');
    const listed = await call(h.cos, 'multipartListPart', { Bucket, Region: REGION, Key: 'mp', UploadId });
    assert.equal(listed.err, null, 'the upload survives bad Complete bodies');
  });

  function signedRaw(method: string, key: string, headers: Record<string, string>): string {
    const host = `${Bucket}.cos.${REGION}.myqcloud.com`;
    const all = { host, ...headers };
    const authorization = signRequest({
      secretId: DEVELOPMENT_CREDENTIAL.secretId,
      secretKey: DEVELOPMENT_CREDENTIAL.secretKey,
      method,
      pathname: `/${key}`,
      headers: all,
    });
    const lines = Object.entries({ ...all, authorization }).map(([k, v]) => `${k}: ${v}`);
    return `${method} /${key} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
  }

  function exchange(payload: string | Buffer, closeAfterMs?: number): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(h.server.port, '127.0.0.1');
      let text = '';
      socket.on('data', (c) => {
        text += c;
      });
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
      socket.write(payload);
      if (closeAfterMs !== undefined) setTimeout(() => socket.destroy(), closeAfterMs);
      else setTimeout(() => socket.end(), 300);
    });
  }

  test('a PUT with neither Content-Length nor chunked encoding is 411 MissingContentLength', async () => {
    const text = await exchange(signedRaw('PUT', 'nolength', {}));
    assert.match(text, /^HTTP\/1\.1 411 /);
    assert.match(text, /<Code>MissingContentLength<\/Code>/);
    const head = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'nolength' });
    assert.equal(head.err.statusCode, 404);
  });

  test('a body that stops short of Content-Length stores nothing and leaves no temp file', async () => {
    const head = signedRaw('PUT', 'short.bin', { 'content-length': '1000' });
    await exchange(Buffer.concat([Buffer.from(head), Buffer.alloc(10)]), 150);
    await new Promise((r) => setTimeout(r, 150));
    const found = await call(h.cos, 'headObject', { Bucket, Region: REGION, Key: 'short.bin' });
    assert.equal(found.err.statusCode, 404);
    assert.deepEqual(await readdir(join(h.dataDir, 'tmp')), []);
  });

  test('a chunked PUT body is accepted', async () => {
    const head = signedRaw('PUT', 'chunked.txt', { 'transfer-encoding': 'chunked' });
    const text = await exchange(`${head}5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`);
    assert.match(text, /^HTTP\/1\.1 200 /);
    const get = await call(h.cos, 'getObject', { Bucket, Region: REGION, Key: 'chunked.txt' });
    assert.equal(get.data.Body.toString(), 'hello world');
  });
});
