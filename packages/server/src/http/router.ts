/**
 * Maps (method, bucket/key presence, sub-resource query) to an operation. The operation name is
 * what logs show and what access control decides on.
 */

import { isSubResource, type SubResource } from '@coskit/protocol';
import { CosHttpError } from './cos-http-error.js';
import { appendObject } from './handlers/append-object.js';
import { createBucket, deleteBucket, getBucketLocation, headBucket } from './handlers/bucket.js';
import { deleteBucketCors, getBucketCors, putBucketCors } from './handlers/bucket-cors.js';
import { getBucketVersioning, putBucketVersioning } from './handlers/bucket-versioning.js';
import { deleteMultipleObjects } from './handlers/delete-multiple-objects.js';
import { deleteObject } from './handlers/delete-object.js';
import { listBuckets } from './handlers/list-buckets.js';
import { listObjectVersions } from './handlers/list-object-versions.js';
import { listObjects } from './handlers/list-objects.js';
import { listObjectsV2 } from './handlers/list-objects-v2.js';
import { listUploads } from './handlers/list-uploads.js';
import { abortUpload, completeUpload, initiateUpload, listParts, uploadPart } from './handlers/multipart.js';
import { getObjectAcl, putObjectAcl } from './handlers/object-acl.js';
import { getObjectAttributes } from './handlers/object-attributes.js';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from './handlers/object-tagging.js';
import { optionsObject } from './handlers/options-object.js';
import { postObject } from './handlers/post-object.js';
import { putObject } from './handlers/put-object.js';
import { putObjectCopy } from './handlers/put-object-copy.js';
import { getObject, headObject } from './handlers/read-object.js';
import { restoreObject } from './handlers/restore-object.js';
import { uploadPartCopy } from './handlers/upload-part-copy.js';
import { isFormUpload } from './post-form.js';
import type { RequestContext } from './request-context.js';

export type Operation =
  | 'ListBuckets'
  | 'PutBucket'
  | 'HeadBucket'
  | 'DeleteBucket'
  | 'GetBucketLocation'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'ListObjectVersions'
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
  | 'AbortMultipartUpload'
  | 'PutObjectCopy'
  | 'DeleteMultipleObjects'
  | 'GetObjectAcl'
  | 'PutObjectAcl'
  | 'GetObjectTagging'
  | 'PutObjectTagging'
  | 'DeleteObjectTagging'
  | 'PutBucketCors'
  | 'GetBucketCors'
  | 'DeleteBucketCors'
  | 'PutBucketVersioning'
  | 'GetBucketVersioning'
  | 'OptionsObject'
  | 'RestoreObject'
  | 'PostObject'
  | 'GetObjectAttributes';

type Handler = (ctx: RequestContext, bucket: string) => void | Promise<void>;

export const HANDLERS: Record<Operation, Handler> = {
  ListBuckets: listBuckets,
  PutBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  ListObjectVersions: listObjectVersions,
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
  PutObjectCopy: putObjectCopy,
  DeleteMultipleObjects: deleteMultipleObjects,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  GetObjectTagging: getObjectTagging,
  PutObjectTagging: putObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  PutBucketCors: putBucketCors,
  GetBucketCors: getBucketCors,
  DeleteBucketCors: deleteBucketCors,
  PutBucketVersioning: putBucketVersioning,
  GetBucketVersioning: getBucketVersioning,
  OptionsObject: optionsObject,
  RestoreObject: restoreObject,
  PostObject: postObject,
  GetObjectAttributes: getObjectAttributes,
};

/** Operations by HTTP method, for one level (bucket or object) of a sub-resource. */
type ByMethod = Readonly<Partial<Record<string, Operation>>>;

/**
 * Where a sub-resource goes: its operations per level, or 501 for every method on both levels.
 * One level may be `NotImplemented` on its own (the object ACL is served, the bucket ACL is not).
 */
type SubResourceRoute =
  | { readonly bucket?: ByMethod | 'NotImplemented'; readonly object?: ByMethod | 'NotImplemented' }
  | 'NotImplemented';

/**
 * Every COS sub-resource (`SUB_RESOURCES` of @coskit/protocol) → its operations. A name (or a
 * level) marked `NotImplemented` is answered 501 for every method, so it can never fall through
 * to PUT Bucket, PUT Object or List Objects; an implemented name asked with a method or at a level
 * it has no operation for is 405. Issue 11 routes the object ACL, object tagging, delete, versioning and versions here.
 */
export const SUB_RESOURCE_ROUTES: Readonly<Record<SubResource, SubResourceRoute>> = {
  uploads: { bucket: { GET: 'ListMultipartUploads' }, object: { POST: 'InitiateMultipartUpload' } },
  uploadId: {
    object: {
      PUT: 'UploadPart',
      GET: 'ListParts',
      POST: 'CompleteMultipartUpload',
      DELETE: 'AbortMultipartUpload',
    },
  },
  // S3 reads one part of a multipart object with GET/HEAD ?partNumber (object-part-read.ts).
  partNumber: { object: { PUT: 'UploadPart', GET: 'GetObject', HEAD: 'HeadObject' } },
  append: { object: { POST: 'AppendObject' } },
  acl: { bucket: 'NotImplemented', object: { GET: 'GetObjectAcl', PUT: 'PutObjectAcl' } },
  cors: { bucket: { PUT: 'PutBucketCors', GET: 'GetBucketCors', DELETE: 'DeleteBucketCors' } },
  lifecycle: 'NotImplemented',
  policy: 'NotImplemented',
  website: 'NotImplemented',
  tagging: {
    bucket: 'NotImplemented',
    object: { GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' },
  },
  versioning: { bucket: { PUT: 'PutBucketVersioning', GET: 'GetBucketVersioning' } },
  versions: { bucket: { GET: 'ListObjectVersions' } },
  location: { bucket: { GET: 'GetBucketLocation' }, object: 'NotImplemented' },
  origin: 'NotImplemented',
  intelligenttiering: 'NotImplemented',
  replication: 'NotImplemented',
  logging: 'NotImplemented',
  inventory: 'NotImplemented',
  'inventory-ai': 'NotImplemented',
  domain: 'NotImplemented',
  domaincertificate: 'NotImplemented',
  referer: 'NotImplemented',
  encryption: 'NotImplemented',
  'object-lock': 'NotImplemented',
  accelerate: 'NotImplemented',
  notification: 'NotImplemented',
  metaquery: 'NotImplemented',
  live: 'NotImplemented',
  vod: 'NotImplemented',
  restore: { object: { POST: 'RestoreObject' } },
  select: 'NotImplemented',
  delete: { bucket: { POST: 'DeleteMultipleObjects' } },
  symlink: 'NotImplemented',
  rename: 'NotImplemented',
  retention: 'NotImplemented',
  torrent: 'NotImplemented',
  // S3 only: the handler answers the COS dialect 501.
  attributes: { object: { GET: 'GetObjectAttributes' } },
};

interface Route {
  readonly method: string;
  /** No bucket named: a service-level request. */
  readonly serviceLevel: boolean;
  readonly bucketLevel: boolean;
  /** Query parameter names, in order (duplicates possible). */
  readonly names: readonly string[];
  readonly header: (lowerName: string) => string | undefined;
}

export function route(r: Route): Operation {
  // A preflight may name any resource, even one this server does not implement (doc 8288).
  if (r.method === 'OPTIONS') return 'OptionsObject';
  const present = r.names.filter(isSubResource);
  if (r.serviceLevel) {
    if (present.length > 0) throw notImplemented(present[0]!);
    if (r.method === 'GET') return 'ListBuckets';
    throw new CosHttpError('MethodNotAllowed', 'Name a bucket in the Host or the path.');
  }
  if (present.length > 0) return routeSubResource(r, present);
  if (r.bucketLevel) {
    switch (r.method) {
      case 'PUT':
        return 'PutBucket';
      case 'HEAD':
        return 'HeadBucket';
      case 'DELETE':
        return 'DeleteBucket';
      case 'POST':
        // POST Object: a browser form upload to the bucket (doc 14690).
        if (isFormUpload(r.header('content-type'))) return 'PostObject';
        break;
      case 'GET':
        // S3's ListObjectsV2 is the same GET with `list-type` (=2, checked by its handler).
        return r.names.includes('list-type') ? 'ListObjectsV2' : 'ListObjects';
    }
    throw new CosHttpError('MethodNotAllowed');
  }
  switch (r.method) {
    case 'PUT':
      return r.header('x-cos-copy-source') !== undefined ? 'PutObjectCopy' : 'PutObject';
    case 'GET':
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return 'DeleteObject';
  }
  throw new CosHttpError('MethodNotAllowed');
}

function routeSubResource(r: Route, present: readonly SubResource[]): Operation {
  const level = r.bucketLevel ? 'bucket' : 'object';
  const unsupported = present.find((name) => SUB_RESOURCE_ROUTES[name] === 'NotImplemented');
  if (unsupported) throw notImplemented(unsupported);
  // uploadId outranks partNumber (PUT ?partNumber&uploadId is Upload Part; GET ?uploadId is List Parts).
  for (const name of ROUTING_ORDER) {
    if (!present.includes(name)) continue;
    const routeOf = SUB_RESOURCE_ROUTES[name] as Exclude<SubResourceRoute, 'NotImplemented'>;
    const atLevel = routeOf[level];
    if (atLevel === 'NotImplemented') throw notImplemented(name);
    const op = atLevel?.[r.method];
    if (op === undefined) continue;
    if (op === 'UploadPart' && r.header('x-cos-copy-source') !== undefined) return 'UploadPartCopy';
    return op;
  }
  throw new CosHttpError(
    'MethodNotAllowed',
    `${r.method} is not allowed on the ${level} sub-resource "${present[0]}".`,
  );
}

const ROUTING_ORDER: readonly SubResource[] = [
  'uploadId',
  'uploads',
  'append',
  'partNumber',
  'acl',
  'tagging',
  'delete',
  'cors',
  'restore',
  'versioning',
  'versions',
  'location',
  'attributes',
];

function notImplemented(name: string): CosHttpError {
  return new CosHttpError('NotImplemented', `The "${name}" sub-resource is not implemented by this server.`);
}
