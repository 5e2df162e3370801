/**
 * The XML bodies of the COS upload API: typed models, the builders the server (or, for Complete,
 * the client) emits with, and the lenient parsers the other side reads with.
 */
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
export { buildCopyPartResult, parseCopyPartResult } from './copy-part.js';
export { buildErrorBody, parseErrorBody, tryParseErrorBody } from './error.js';
export { quoteETag, unquoteETag } from './etag.js';
export { buildInitiateMultipartUploadResult, parseInitiateMultipartUploadResult } from './initiate.js';
export { buildListBucketResult, parseListBucketResult } from './list-bucket.js';
export { buildListAllMyBucketsResult, parseListAllMyBucketsResult } from './list-buckets.js';
export {
  buildListMultipartUploadsResult,
  parseListMultipartUploadsResult,
} from './list-multipart-uploads.js';
export { buildListPartsResult, parseListPartsResult } from './list-parts.js';
export type { ListEncodingType } from './listing-encoding.js';
export { parseXmlDocument, parseXmlRoot, type XmlElement } from './parse.js';
export type * from './types.js';
