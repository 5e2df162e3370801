/**
 * The XML bodies of the COS upload API: typed models, the builders the server (or, for Complete,
 * the client) emits with, and the lenient parsers the other side reads with.
 */

export {
  type AccessControlPolicy,
  buildAccessControlPolicy,
  parseAccessControlPolicy,
} from './access-control-policy.js';
export {
  buildLocationConstraint,
  parseCreateBucketConfiguration,
  parseLocationConstraint,
} from './bucket-location.js';
export {
  escapeXmlText,
  isXmlText,
  XML_DECLARATION,
  xmlBoolean,
  xmlDocument,
  xmlInteger,
  xmlOwner,
  xmlParent,
  xmlText,
} from './build.js';
export { XmlCodecError, XmlUnrepresentableError } from './codec-error.js';
export {
  buildCompleteMultipartUpload,
  buildCompleteMultipartUploadResult,
  parseCompleteMultipartUpload,
  parseCompleteMultipartUploadResult,
} from './complete.js';
export { buildCopyObjectResult, type CopyObjectResult, parseCopyObjectResult } from './copy-object.js';
export { buildCopyPartResult, parseCopyPartResult } from './copy-part.js';
export {
  buildCorsConfiguration,
  CORS_METHODS,
  type CorsConfiguration,
  type CorsProblem,
  type CorsRule,
  checkCorsConfiguration,
  normalizeCorsConfiguration,
  parseCorsConfiguration,
} from './cors.js';
export {
  buildDeleteObjects,
  buildDeleteResult,
  type DeletedEntry,
  type DeleteErrorEntry,
  type DeleteObjectEntry,
  type DeleteObjectsRequest,
  type DeleteResult,
  parseDeleteObjects,
  parseDeleteResult,
} from './delete-objects.js';
export { buildErrorBody, parseErrorBody, tryParseErrorBody } from './error.js';
export { quoteETag, unquoteETag } from './etag.js';
export { buildInitiateMultipartUploadResult, parseInitiateMultipartUploadResult } from './initiate.js';
export { buildListBucketResult, parseListBucketResult } from './list-bucket.js';
export {
  buildListBucketResultV2,
  type ListBucketResultV2,
  type ListedObjectV2,
} from './list-bucket-v2.js';
export { buildListAllMyBucketsResult, parseListAllMyBucketsResult } from './list-buckets.js';
export {
  buildListMultipartUploadsResult,
  parseListMultipartUploadsResult,
} from './list-multipart-uploads.js';
export { buildListPartsResult, parseListPartsResult } from './list-parts.js';
export {
  buildListVersionsResult,
  type ListedDeleteMarker,
  type ListedVersion,
  type ListedVersionEntry,
  type ListVersionsResult,
  parseListVersionsResult,
} from './list-versions.js';
export type { ListEncodingType } from './listing-encoding.js';
export {
  buildGetObjectAttributesResult,
  type GetObjectAttributesResult,
  OBJECT_ATTRIBUTES,
  type ObjectAttribute,
  type ObjectAttributesPart,
} from './object-attributes.js';
export { parseXmlDocument, parseXmlRoot, type XmlElement } from './parse.js';
export { buildPostResponse, type PostResponse } from './post-response.js';
export { buildRestoreRequest, parseRestoreRequest, type RestoreRequest } from './restore.js';
export { buildTagging, parseTagging, type Tagging } from './tagging.js';
export type * from './types.js';
export {
  buildVersioningConfiguration,
  parseVersioningConfiguration,
  VERSIONING_STATUSES,
  type VersioningConfiguration,
  type VersioningStatus,
} from './versioning.js';
