/**
 * Maps (method, bucket/key presence, sub-resource query) to an operation. The operation name is
 * what logs show and what access control decides on.
 */

import { CosHttpError } from './cos-http-error.js';
import { appendObject } from './handlers/append-object.js';
import { createBucket, deleteBucket, headBucket } from './handlers/bucket.js';
import { deleteObject } from './handlers/delete-object.js';
import { listBuckets } from './handlers/list-buckets.js';
import { listObjects } from './handlers/list-objects.js';
import { listUploads } from './handlers/list-uploads.js';
import { abortUpload, completeUpload, initiateUpload, listParts, uploadPart } from './handlers/multipart.js';
import { putObject } from './handlers/put-object.js';
import { getObject, headObject } from './handlers/read-object.js';
import { uploadPartCopy } from './handlers/upload-part-copy.js';
import type { RequestContext } from './request-context.js';

export type Operation =
  | 'ListBuckets'
  | 'PutBucket'
  | 'HeadBucket'
  | 'DeleteBucket'
  | 'ListObjects'
  | 'ListMultipartUploads'
  | 'PutObject'
  | 'AppendObject'
  | 'HeadObject'
  | 'GetObject'
  | 'DeleteObject'
  | 'InitiateMultipartUpload'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'ListParts'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload';

type Handler = (ctx: RequestContext, bucket: string) => void | Promise<void>;

export const HANDLERS: Record<Operation, Handler> = {
  ListBuckets: listBuckets,
  PutBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  ListObjects: listObjects,
  ListMultipartUploads: listUploads,
  PutObject: putObject,
  AppendObject: appendObject,
  HeadObject: headObject,
  GetObject: getObject,
  DeleteObject: deleteObject,
  InitiateMultipartUpload: initiateUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  ListParts: listParts,
  CompleteMultipartUpload: completeUpload,
  AbortMultipartUpload: abortUpload,
};

/** Sub-resources of COS that this server does not implement: answered 501, never misrouted. */
const UNSUPPORTED = [
  'acl',
  'cors',
  'tagging',
  'versioning',
  'lifecycle',
  'policy',
  'restore',
  'select',
  'delete',
  'website',
  'referer',
  'logging',
  'inventory',
  'replication',
  'domain',
  'encryption',
  'object-lock',
  'retention',
  'torrent',
];

interface Route {
  readonly method: string;
  /** No bucket named: a service-level request. */
  readonly serviceLevel: boolean;
  readonly bucketLevel: boolean;
  readonly has: (name: string) => boolean;
  readonly header: (lowerName: string) => string | undefined;
}

export function route(r: Route): Operation {
  const unsupported = UNSUPPORTED.find((name) => r.has(name));
  if (unsupported)
    throw new CosHttpError(
      'NotImplemented',
      `The "${unsupported}" sub-resource is not implemented by this server.`,
    );
  if (r.serviceLevel) {
    if (r.method === 'GET') return 'ListBuckets';
    throw new CosHttpError('MethodNotAllowed', 'Name a bucket in the Host or the path.');
  }
  if (r.bucketLevel) {
    switch (r.method) {
      case 'PUT':
        return 'PutBucket';
      case 'HEAD':
        return 'HeadBucket';
      case 'DELETE':
        return 'DeleteBucket';
      case 'GET':
        return r.has('uploads') ? 'ListMultipartUploads' : 'ListObjects';
    }
    throw new CosHttpError('MethodNotAllowed');
  }
  switch (r.method) {
    case 'PUT':
      if (r.has('partNumber') || r.has('uploadId')) {
        return r.header('x-cos-copy-source') !== undefined ? 'UploadPartCopy' : 'UploadPart';
      }
      return 'PutObject';
    case 'POST':
      if (r.has('uploads')) return 'InitiateMultipartUpload';
      if (r.has('uploadId')) return 'CompleteMultipartUpload';
      if (r.has('append')) return 'AppendObject';
      break;
    case 'GET':
      return r.has('uploadId') ? 'ListParts' : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return r.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  }
  throw new CosHttpError('MethodNotAllowed');
}
