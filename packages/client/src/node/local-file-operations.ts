/** The single calls that read or write a whole local file: PUT Object from a file, GET Object to a file. */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalidArgument } from '../errors.js';
import type { CallOptions } from '../operations/common.js';
import { type GetObjectParams, getObject, type HeadObjectResult } from '../operations/object-read.js';
import {
  checkWriteParams,
  type PutObjectHeaders,
  type PutObjectResult,
  putObject,
} from '../operations/object-write.js';
import type { Transport } from '../transport/request.js';

export interface PutObjectFromLocalFileParams extends PutObjectHeaders, CallOptions {
  Bucket: string;
  Key: string;
  /** Path of the local file to upload. */
  LocalFilePath: string;
  /** Compute and send Content-MD5 (the file is read once to hash before it is sent). Default false. */
  EnableMD5?: boolean;
  /** Bytes written to the socket, as they go; negative when a failed attempt's bytes are taken back before a retry. */
  onUploadProgress?: (bytes: number) => void;
}

/**
 * The seed's `put_object_from_local_file`: the file is streamed from disk, never held in memory. It
 * is sent as a file slice, so a reset or a 5xx is retried by reopening the file, and `EnableMD5`
 * reads it once to hash before sending.
 */
export async function putObjectFromLocalFile(
  t: Transport,
  p: PutObjectFromLocalFileParams,
): Promise<PutObjectResult> {
  checkWriteParams(p);
  const info = await stat(p.LocalFilePath).catch((err: NodeJS.ErrnoException) => {
    throw invalidArgument(`LocalFilePath "${p.LocalFilePath}" cannot be read: ${err.code ?? err.message}.`);
  });
  if (!info.isFile()) throw invalidArgument(`LocalFilePath "${p.LocalFilePath}" is not a regular file.`);
  const { LocalFilePath, ...rest } = p;
  return putObject(t, { ...rest, Body: { path: LocalFilePath, start: 0, end: info.size } });
}

/** GET Object straight into a local file (`get_object(...)['Body'].get_stream_to_file(path)`). */
export async function getObjectToFile(
  t: Transport,
  p: GetObjectParams & { LocalFilePath: string },
): Promise<HeadObjectResult> {
  const { Body, ...rest } = await getObject<Readable>(t, p);
  await pipeline(Body, createWriteStream(p.LocalFilePath));
  return rest;
}
