/** Raw POST Object requests: a multipart/form-data body built by hand, sent over plain HTTP. */
import { request } from 'node:http';
import { buildPostPolicy, type PostPolicyInput } from '@coskit/protocol';
import { DEVELOPMENT_CREDENTIAL } from '../../src/index.js';
import { REGION } from './harness.js';
import type { RawResponse } from './raw.js';

export const BOUNDARY = '----coskitTestBoundary7MA4YWxkTrZu0gW';

/** The fields, then the file part (named `file` unless `fileField` says otherwise), then the closing boundary. */
export function formBody(
  fields: Readonly<Record<string, string>>,
  file: { name?: string; filename?: string; type?: string; bytes: Buffer } | undefined,
): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.name ?? 'file'}"; filename="${file.filename ?? 'upload.bin'}"\r\nContent-Type: ${file.type ?? 'image/jpeg'}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

/** Signed form fields for `bucket` with the development key (override anything in `input`). */
export function signedFields(
  bucket: string,
  input: Partial<PostPolicyInput> & { key?: string } = {},
): Record<string, string> {
  return buildPostPolicy({
    secretId: DEVELOPMENT_CREDENTIAL.secretId,
    secretKey: DEVELOPMENT_CREDENTIAL.secretKey,
    bucket,
    ...input,
  } as PostPolicyInput).fields;
}

export interface PostFormRequest {
  readonly port: number;
  readonly bucket: string;
  readonly body: Buffer;
  readonly headers?: Record<string, string>;
}

export function postForm(r: PostFormRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: r.port,
        method: 'POST',
        path: '/',
        headers: {
          host: `${r.bucket}.cos.${REGION}.myqcloud.com`,
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
          'content-length': String(r.body.length),
          ...r.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}
