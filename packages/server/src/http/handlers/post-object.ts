/**
 * POST Object (COS API 14690): a browser form upload to the bucket. The form's policy and q-sign
 * fields authenticate it (or an Authorization header; or nothing, for a public-read-write bucket),
 * every policy condition is checked against the fields before a byte of the file is stored, and the
 * file streams into the store's ingest exactly like a PUT body: durable before the answer.
 */
import {
  buildPostResponse,
  checkObjectKey,
  checkTrafficLimit,
  encodeKeyPath,
  forbidsOverwrite,
  formatTaggingHeader,
  isSigV4PostForm,
  parseTagging,
  RESPONSE_HEADERS,
} from '@coskit/protocol';
import type { IncomingBody } from '../../store/store.js';
import { authorize } from '../access.js';
import { parseContentMd5 } from '../body.js';
import { CosHttpError } from '../cos-http-error.js';
import { answerInDialect, s3HeaderView } from '../dialect.js';
import { storedHeadersOf } from '../object-headers.js';
import { type PostForm, readPostForm } from '../post-form.js';
import { authenticatePostForm } from '../post-form-auth.js';
import type { RequestContext } from '../request-context.js';
import { sendEmpty, sendXml } from '../responses.js';
import { encryptionRequestOf, sseResponseHeaders } from '../sse.js';
import { throttle } from '../throttle.js';
import { versionHeaders } from '../version-id.js';

const SUCCESS_STATUSES = ['200', '201', '204'];

export async function postObject(ctx: RequestContext, bucket: string): Promise<void> {
  if (!(await ctx.store.getBucket(bucket))) throw new CosHttpError('NoSuchBucket');
  const form = await readPostForm(ctx.req, ctx.res, ctx.body.stream);
  try {
    await storeForm(ctx, bucket, form);
  } catch (err) {
    form.abandon();
    throw err;
  }
}

async function storeForm(ctx: RequestContext, bucket: string, form: PostForm): Promise<void> {
  const { fields } = form;
  const key = keyOf(fields.get('key'), form.filename);
  // A SigV4 form is answered in S3's dialect, refusals included.
  if (isSigV4PostForm((name) => fields.has(name))) answerInDialect(ctx.res, 's3');
  const { principal, sizeRange, dialect } = authenticatePostForm(fields, {
    bucket,
    region: ctx.region,
    key,
    credentials: ctx.config.credentials,
    principal: ctx.principal,
    nowMs: Date.now(),
  });
  await authorize(principal, 'PutObject', ctx.store, bucket, key);
  // A SigV4 form's x-amz-meta-* / x-amz-storage-class fields are read as their x-cos-* twins (the
  // policy vouches for the form, so every field counts as signed).

  const formField = (name: string): string | undefined => {
    if (name === 'x-cos-acl' || name === 'x-amz-acl') return fields.get(name) ?? fields.get('acl');
    // S3's form sends the tags as a <Tagging> document in `tagging` (MalformedXML if it is not one).
    if (name === 'x-cos-tagging' || name === 'x-amz-tagging') {
      const xml = fields.get('tagging');
      return (
        fields.get(name) ?? (xml === undefined ? undefined : formatTaggingHeader(parseTagging(xml).TagSet))
      );
    }
    // COS ignores the file part's own type: the form's Content-Type, else (storedHeadersOf) the
    // type of the key's extension.
    if (name === 'content-type') return fields.get('content-type') || undefined;
    return fields.get(name);
  };
  const names = [...fields.keys(), ...(fields.has('tagging') ? ['x-cos-tagging'] : [])];
  const view = dialect === 's3' ? s3HeaderView(formField, names, names) : { header: formField, names };
  const field = view.header;
  const headers = storedHeadersOf(field, view.names, key);
  const md5 = parseContentMd5(fields.get('content-md5'));
  const limitRaw = fields.get('x-cos-traffic-limit');
  if (limitRaw !== undefined) {
    const problem = checkTrafficLimit(limitRaw);
    if (problem) throw new CosHttpError(problem.code, problem.message);
  }
  const bytes = fileBytes(form, sizeRange);
  const body: IncomingBody = {
    stream: limitRaw === undefined ? bytes : throttle(bytes, Number(limitRaw)),
    declaredLength: undefined,
    md5,
  };
  const forbidOverwrite = forbidsOverwrite(fields.get('x-cos-forbid-overwrite'));
  // The form field, as COS documents for POST (SSE-C keys are not taken from a form).
  const encryption = encryptionRequestOf(ctx, (name) => fields.get(name));
  const record = await ctx.store.putObject(bucket, key, body, { headers, forbidOverwrite, encryption });

  const objectUrl = `http://${ctx.req.headers.host ?? ''}/${pathStyle(ctx, bucket) ? `${bucket}/` : ''}${encodeKeyPath(key)}`;
  const out = {
    ETag: record.etag,
    [RESPONSE_HEADERS.crc64]: record.crc64,
    ...versionHeaders(undefined, record),
    ...sseResponseHeaders(record.encryption),
  };
  const redirect = redirectUrl(fields.get('success_action_redirect'));
  if (redirect) {
    redirect.searchParams.append('bucket', bucket);
    redirect.searchParams.append('key', key);
    redirect.searchParams.append('etag', record.etag);
    sendEmpty(ctx.res, 303, { ...out, Location: redirect.toString() });
    return;
  }
  const status = fields.get('success_action_status') ?? '';
  if (status === '201' && dialect === 's3') {
    // S3 answers 201 with a PostResponse document (COS's answers are empty for every status).
    const xml = buildPostResponse({ Location: objectUrl, Bucket: bucket, Key: key, ETag: record.etag });
    sendXml(ctx.res, 201, xml, { ...out, Location: objectUrl });
    return;
  }
  sendEmpty(ctx.res, SUCCESS_STATUSES.includes(status) ? Number(status) : 204, {
    ...out,
    Location: objectUrl,
  });
}

/** The `key` field with `${filename}` replaced by the file's name, checked like any key. */
function keyOf(raw: string | undefined, filename: string): string {
  if (raw === undefined || raw === '')
    throw new CosHttpError('InvalidArgument', 'POST Object needs a "key" field before the file.');
  const key = raw.replaceAll('${filename}', filename);
  const problem = checkObjectKey(key);
  if (problem) throw new CosHttpError(problem.code, problem.message);
  if (key === '') throw new CosHttpError('InvalidArgument', 'The key is empty.');
  return key;
}

/** `success_action_redirect` when it is an absolute http(s) URL; anything else is ignored (S3 does so). */
function redirectUrl(raw: string | undefined): URL | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function pathStyle(ctx: RequestContext, bucket: string): boolean {
  return !(ctx.req.headers.host ?? '').toLowerCase().startsWith(`${bucket}.`);
}

/**
 * The file's bytes for the store: `content-length-range` enforced as they stream (too many: refused
 * at once; too few: refused at the end, before anything is published), and the end of the file
 * accepted only once the whole form has been parsed, so a cut body stores nothing.
 */
async function* fileBytes(
  form: PostForm,
  range: { readonly min: number; readonly max: number } | undefined,
): AsyncGenerator<Uint8Array> {
  let size = 0;
  try {
    for await (const chunk of form.file as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (range && size > range.max) {
        throw new CosHttpError(
          'EntityTooLarge',
          `Your proposed upload exceeds the maximum allowed size (${range.max} bytes by the policy).`,
        );
      }
      yield chunk;
    }
    await form.done;
  } catch (err) {
    if (err instanceof CosHttpError) throw err;
    throw new CosHttpError(
      'MalformedPOSTRequest',
      `The body of your POST request is not well-formed multipart/form-data: ${(err as Error).message}`,
    );
  }
  if (range && size < range.min) {
    throw new CosHttpError(
      'EntityTooSmall',
      `Your proposed upload is smaller than the minimum allowed size (${range.min} bytes by the policy).`,
    );
  }
}
