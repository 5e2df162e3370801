/**
 * Reading a POST Object form (multipart/form-data) with busboy, streaming: the fields before the
 * file are collected (bounded), then the file part is handed over as a stream, never buffered.
 * COS requires the file to be the last field; anything after it is ignored.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { LIMITS } from '@coskit/protocol';
import busboy from 'busboy';
import { CosHttpError } from './cos-http-error.js';

/** Most fields before the file, and most bytes of their names and values together. */
const MAX_FIELDS = 100;

export interface PostForm {
  /** Fields before the file: lower-case name → value (the first of a repeated name wins). */
  readonly fields: ReadonlyMap<string, string>;
  /** The file part's bytes, as they arrive. */
  readonly file: Readable;
  /** The file part's name as the browser gave it (a base name), for `${filename}`. */
  readonly filename: string;
  /** Settles once the whole body is parsed; rejects with `MalformedPOSTRequest` when it is cut or broken. */
  readonly done: Promise<void>;
  /** After a refusal: stop parsing, discard the rest of the body, close the connection afterwards. */
  abandon(): void;
}

const malformed = (why: string) =>
  new CosHttpError(
    'MalformedPOSTRequest',
    `The body of your POST request is not well-formed multipart/form-data: ${why}`,
  );

/** Whether a Content-Type announces a form upload. */
export function isFormUpload(contentType: string | undefined): boolean {
  return contentType !== undefined && /^\s*multipart\/form-data\s*;/i.test(contentType);
}

/**
 * Parses the form in `body` (read from ctx.body, not from `req`) up to its file part. Rejects with `MalformedPOSTRequest` (not a form, a field too
 * long, too many fields), `MaxPostPreDataLengthExceededError` (the fields together over
 * `LIMITS.maxPostFormFieldBytes`) or `IncorrectNumberOfFilesInPostRequest` (no file part named `file`).
 */
export function readPostForm(
  req: IncomingMessage,
  res: ServerResponse,
  body: AsyncIterable<Uint8Array>,
): Promise<PostForm> {
  // The request's bytes as dispatch decoded them (the request itself, or a SigV4 payload).
  const source: Readable = body === req ? req : Readable.from(body);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: {
        fields: MAX_FIELDS,
        fieldSize: LIMITS.maxPostFormFieldBytes,
        // The file, and fields sent as file parts before it.
        files: MAX_FIELDS + 1,
        parts: MAX_FIELDS + 1,
        // One byte over the PUT limit: the store refuses it with EntityTooLarge, busboy never truncates silently.
        fileSize: LIMITS.maxSinglePutSize + 1,
        headerPairs: 16,
      },
    });
  } catch (err) {
    return Promise.reject(malformed((err as Error).message));
  }
  const bb = parser;
  const abandon = () => {
    res.setHeader('Connection', 'close');
    source.unpipe(bb);
    bb.removeAllListeners('file');
    bb.destroy();
    req.resume();
  };
  return new Promise<PostForm>((resolve, reject) => {
    const fields = new Map<string, string>();
    let fieldBytes = 0;
    let gotFile = false;
    let settleDone: (err?: Error) => void = () => {};
    const done = new Promise<void>((ok, fail) => {
      settleDone = (err) => (err ? fail(err) : ok());
    });
    done.catch(() => {}); // observed by the handler when it gets that far
    const fail = (err: Error) => {
      if (gotFile) settleDone(err);
      else {
        abandon();
        reject(err);
      }
    };
    const addField = (name: string, value: string): CosHttpError | undefined => {
      fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (fieldBytes > LIMITS.maxPostFormFieldBytes) {
        return new CosHttpError(
          'MaxPostPreDataLengthExceededError',
          `The fields before the file exceed ${LIMITS.maxPostFormFieldBytes} bytes.`,
        );
      }
      const lower = name.toLowerCase();
      if (!fields.has(lower)) fields.set(lower, value);
      return undefined;
    };
    // Fields sent as file parts (Python requests' `files=`, some form libraries) are read as fields, as
    // S3 does; the file waits for them to finish.
    const pendingFields: Promise<void>[] = [];
    bb.on('field', (name: string, value: string, info: busboy.FieldInfo) => {
      if (gotFile) return; // after the file: ignored, as COS does
      if (info.nameTruncated || info.valueTruncated) {
        return fail(
          new CosHttpError(
            'MaxPostPreDataLengthExceededError',
            `Form field "${name}" exceeds ${LIMITS.maxPostFormFieldBytes} bytes.`,
          ),
        );
      }
      const problem = addField(name, value);
      if (problem) fail(problem);
    });
    bb.on('file', (name: string, stream: Readable, info: busboy.FileInfo) => {
      stream.on('error', () => {}); // seen by whoever reads it; never an uncaught exception
      if (gotFile) {
        stream.resume();
        return;
      }
      if (name.toLowerCase() !== 'file') {
        const chunks: Buffer[] = [];
        let size = 0;
        pendingFields.push(
          new Promise<void>((settle) => {
            stream.on('data', (chunk: Buffer) => {
              size += chunk.byteLength;
              if (size <= LIMITS.maxPostFormFieldBytes) chunks.push(chunk);
            });
            stream.on('close', () => settle());
            stream.on('end', () => {
              const problem =
                size > LIMITS.maxPostFormFieldBytes
                  ? new CosHttpError(
                      'MaxPostPreDataLengthExceededError',
                      `Form field "${name}" exceeds ${LIMITS.maxPostFormFieldBytes} bytes.`,
                    )
                  : addField(name, Buffer.concat(chunks).toString('utf8'));
              if (problem) fail(problem);
              settle();
            });
          }),
        );
        return;
      }
      gotFile = true;
      void Promise.all(pendingFields).then(() =>
        resolve({ fields, file: stream, filename: info.filename ?? '', done, abandon }),
      );
    });
    bb.on('fieldsLimit', () => fail(malformed(`more than ${MAX_FIELDS} fields.`)));
    bb.on('partsLimit', () => fail(malformed(`more than ${MAX_FIELDS + 1} parts.`)));
    bb.on('error', (err: Error) => fail(malformed(err.message)));
    bb.on('close', () => {
      if (gotFile) settleDone();
      else
        reject(
          new CosHttpError(
            'IncorrectNumberOfFilesInPostRequest',
            'POST requires exactly one file upload per request.',
          ),
        );
    });
    // A client gone mid-body never ends the form: fail it, so the store drops the partial file.
    req.once('close', () => {
      if (!req.complete) bb.destroy(new Error('the client closed the connection before the form ended'));
    });
    source.pipe(bb);
  });
}
