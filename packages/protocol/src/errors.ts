/**
 * The one registry of COS error codes: code → HTTP status and default message.
 *
 * The server answers with these (as `<Error>` bodies, see `xml/error.ts`) and the client reads
 * them back; nothing else in coskit spells a COS error code or picks its status. Sources:
 * ../shared/cos-protocol.md §2.5, §3.4 and §4 (COS doc 7730 as transcribed by Tencent/flare).
 */

/** One entry of the registry. */
export interface CosErrorSpec {
  /** HTTP status COS answers with. */
  readonly status: number;
  /** Default `<Message>` text when the situation has nothing more specific to say. */
  readonly message: string;
  /** Whether the official SDKs (and ours) retry a request that failed with this code. */
  readonly retryable?: boolean;
}

const spec = (status: number, message: string, retryable?: boolean): CosErrorSpec =>
  retryable ? { status, message, retryable } : { status, message };

/** Every COS error code that coskit emits or interprets. */
export const COS_ERRORS = {
  // 400: parameters and bodies
  InvalidArgument: spec(400, 'Invalid Argument.'),
  BadDigest: spec(400, 'The Content-MD5 you specified did not match what was received.'),
  InvalidDigest: spec(400, 'The Content-MD5 you specified is not valid.'),
  EntityTooLarge: spec(400, 'Your proposed upload exceeds the maximum allowed object size.'),
  EntityTooSmall: spec(400, 'Your proposed upload is smaller than the minimum allowed object size.'),
  IncompleteBody: spec(
    400,
    'You did not provide the number of bytes specified by the Content-Length HTTP header.',
  ),
  InvalidPart: spec(
    400,
    'One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part entity tag.',
  ),
  InvalidPartOrder: spec(
    400,
    'The list of parts was not in ascending order. Parts must be ordered by part number.',
  ),
  KeyTooLong: spec(400, 'Your key is too long.'),
  InvalidObjectName: spec(400, 'The specified object name is not valid.'),
  InvalidURI: spec(400, "Couldn't parse the specified URI."),
  InvalidBucketName: spec(400, 'The specified bucket is not valid.'),
  BucketNameTooLong: spec(400, 'The specified bucket name is too long.'),
  MalformedXML: spec(
    400,
    'The XML you provided was not well-formed or did not validate against our published schema.',
  ),
  XMLSizeLimit: spec(400, 'The XML you provided was larger than the maximum allowed size.'),
  MissingRequestBodyError: spec(400, 'Request body is empty.'),
  InvalidRequest: spec(400, 'Invalid Request.'),
  // POST Object forms (S3's codes; COS documents none of its own)
  InvalidPolicyDocument: spec(400, 'Invalid Policy: the policy document is not valid.'),
  MalformedPOSTRequest: spec(400, 'The body of your POST request is not well-formed multipart/form-data.'),
  IncorrectNumberOfFilesInPostRequest: spec(400, 'POST requires exactly one file upload per request.'),
  MaxPostPreDataLengthExceededError: spec(
    400,
    'Your POST request fields preceding the upload file were too large.',
  ),
  RequestTimeout: spec(
    400,
    'Your socket connection to the server was not read from or written to within the timeout period.',
  ),
  ExpiredToken: spec(400, 'The provided token has expired.'),
  InvalidCopySource: spec(400, 'The copy source is not valid.'),
  InvalidStorageClass: spec(400, 'The storage class you specified is not valid.'),
  MetadataTooLarge: spec(400, 'Your metadata headers exceed the maximum allowed metadata size.'),
  RequestHeaderSectionTooLarge: spec(400, 'Your request header section exceeds the maximum allowed size.'),
  ListPartUploadIdIsEmpty: spec(400, 'The uploadId must not be empty.'),
  InvalidTag: spec(400, 'The tag provided was not a valid tag.'),
  BadRequest: spec(400, 'Bad Request.'),
  BucketVersionNotOpen: spec(400, 'The bucket has no versioning enabled.'),
  InvalidLocationConstraint: spec(400, 'The specified location constraint is not valid.'),
  // 400: the S3 dialect's signature (AWS SigV4) and its aws-chunked bodies; S3's names and texts
  AuthorizationHeaderMalformed: spec(400, 'The authorization header is malformed.'),
  AuthorizationQueryParametersError: spec(
    400,
    'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
  ),
  XAmzContentSHA256Mismatch: spec(
    400,
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
  ),
  InvalidToken: spec(400, 'The provided token is malformed or otherwise invalid.'),
  MalformedTrailerError: spec(
    400,
    'The request contained trailing data that was not well-formed or did not conform to our published schema.',
  ),
  // 403: authentication and authorisation
  AccessDenied: spec(403, 'Access Denied.'),
  /** A CORS preflight no rule allows; COS's Message, typos included (doc 8288, example 4). */
  AccessForbidden: spec(
    403,
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec",
  ),
  InvalidAccessKeyId: spec(403, 'The access key Id format you provided is invalid, please check.'),
  SignatureDoesNotMatch: spec(403, 'The Signature you specified is invalid.'),
  RequestTimeTooSkewed: spec(
    403,
    'The difference between the request time and the server time is too large.',
  ),
  InvalidObjectState: spec(403, 'The operation is not valid for the current state of the object.'),
  // 404: missing resources
  NoSuchBucket: spec(404, 'The specified bucket does not exist.'),
  NoSuchKey: spec(404, 'The specified key does not exist.'),
  NoSuchUpload: spec(
    404,
    'The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.',
  ),
  NoSuchVersion: spec(404, 'The specified version does not exist.'),
  NoSuchCopySource: spec(404, 'The specified copy source does not exist.'),
  NoSuchTagSet: spec(404, 'The TagSet does not exist.'),
  NoSuchCORSConfiguration: spec(404, 'The CORS configuration does not exist.'),
  // 405
  MethodNotAllowed: spec(405, 'The specified method is not allowed against this resource.'),
  // 409: conflicts
  BucketAlreadyExists: spec(409, 'The requested bucket name is not available.'),
  BucketAlreadyOwnedByYou: spec(409, 'The bucket you tried to create already exists, and you own it.'),
  BucketNotEmpty: spec(409, 'The bucket you tried to delete is not empty.'),
  ObjectNotAppendable: spec(409, 'The operation is not valid for the current state of the object.'),
  AppendPositionErr: spec(409, 'Position not equal object length.'),
  PathConflict: spec(409, 'The object key conflicts with an existing object.'),
  FileAlreadyExists: spec(409, 'The specified object already exists and x-cos-forbid-overwrite is true.'),
  RestoreAlreadyInProgress: spec(409, 'Object restore is already in progress.'),
  OperationAborted: spec(
    409,
    'A conflicting conditional operation is currently in progress against this resource. Please try again.',
  ),
  // 411, 412, 416
  MissingContentLength: spec(411, 'You must provide the Content-Length HTTP header.'),
  PreconditionFailed: spec(412, 'At least one of the pre-conditions you specified did not hold.'),
  InvalidRange: spec(416, 'The requested range is not satisfiable.'),
  // 5xx: retryable
  InternalError: spec(500, 'We encountered an internal error. Please try again.', true),
  NotImplemented: spec(501, 'A header or query you provided implies functionality that is not implemented.'),
  ServiceUnavailable: spec(503, 'Please reduce your request rate.', true),
  SlowDown: spec(503, 'Please reduce your request rate.', true),
} as const satisfies Record<string, CosErrorSpec>;

/** A COS error code known to the registry. */
export type CosErrorCode = keyof typeof COS_ERRORS;

/** Type guard: is `code` one of the registry's codes? */
export function isCosErrorCode(code: string): code is CosErrorCode {
  return Object.hasOwn(COS_ERRORS, code);
}

/** HTTP status for a code (500 for an unknown code). */
export function statusOfCosError(code: string): number {
  return isCosErrorCode(code) ? COS_ERRORS[code].status : 500;
}

/**
 * The Message COS uses for `AccessDenied` when the signature's time window has passed. The Node
 * SDK recognises this exact text as a clock error and re-syncs; so do we.
 */
export const REQUEST_EXPIRED_MESSAGE = 'Request has expired';
