/**
 * The numeric limits of COS, in one table used by both ends (../shared/cos-protocol.md §5).
 * Sizes are bytes; "MB" in COS documentation means MiB (1 MB = 1024 × 1024 bytes).
 */

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const LIMITS = {
  /** Smallest and largest part number of a multipart upload. */
  minPartNumber: 1,
  maxPartNumber: 10_000,
  /** Every part but the last must be at least this big (checked at Complete). */
  minPartSize: 1 * MiB,
  /** Largest part. */
  maxPartSize: 5 * GiB,
  /** Largest object a single PUT Object may carry. */
  maxSinglePutSize: 5 * GiB,
  /** Largest appendable object (the sum of all appends). */
  maxAppendableObjectSize: 5 * GiB,
  /** Largest object key, counted in UTF-8 bytes. */
  maxKeyBytes: 850,
  /**
   * Largest `uploadId` / `upload-id-marker` accepted (UTF-8 bytes). COS's ids are ~80 characters
   * (10-digit Unix time + hex); a longer one names no upload and is refused before any lookup.
   */
  maxUploadIdBytes: 128,
  /** Largest total size of the `x-cos-meta-*` headers (names + values, UTF-8 bytes). */
  maxUserMetadataBytes: 2 * 1024,
  /** `x-cos-traffic-limit` range, bit/s (100 KB/s – 100 MB/s). */
  minTrafficLimit: 819_200,
  maxTrafficLimit: 838_860_800,
  /** List Objects `max-keys`, List Parts `max-parts`, List Multipart Uploads `max-uploads`. */
  maxListKeys: 1000,
  maxListParts: 1000,
  maxListUploads: 1000,
  /** Default page sizes when the request does not say. */
  defaultListKeys: 1000,
  defaultListParts: 1000,
  defaultListUploads: 1000,
  /** Bucket name: `<name>-<appid>`, the name part 1–50 characters of `[a-z0-9-]`. */
  maxBucketNameLength: 50,
  /**
   * The whole virtual host `<BucketName>-<APPID>.cos.<Region>.myqcloud.com` is at most 60 characters
   * (COS doc 13312: "123456789012345678901-1250000000.cos.ap-beijing.myqcloud.com contains 60
   * characters"), so the room for the name depends on the region.
   */
  maxBucketHostLength: 60,
  /** An APPID is a positive decimal number of at most 10 digits (e.g. `1250000000`). */
  maxAppIdDigits: 10,
  /**
   * Bounds the server enforces on request framing (COS does not publish these; chosen generously
   * so that no official SDK request comes near them — see docs/PROTOCOL-DECISIONS.md).
   */
  maxRequestHeaderBytes: 16 * 1024,
  /** A CompleteMultipartUpload body for 10 000 parts is ~1 MB; allow twice that. */
  maxCompleteXmlBytes: 2 * MiB,
  /** Any other XML request body (e.g. PUT Bucket configuration). */
  maxSmallXmlBytes: 64 * 1024,
  /** PUT Object - Copy copies at most this much in one request; larger sources need Upload Part - Copy. */
  maxCopyObjectSize: 5 * GiB,
  /** Keys one Delete Multiple Objects request may name. */
  maxDeleteObjects: 1000,
  /**
   * A Delete body naming 1000 keys of 850 bytes, each written with the longest escapes (`&quot;`
   * is six bytes for one), is about 5.3 MB; this leaves room for version IDs and whitespace.
   */
  maxDeleteXmlBytes: 6 * MiB,
  /** Tags on one object (`x-cos-tagging`, PUT Object tagging). */
  maxObjectTags: 10,
  /** A tag key is 1–127 characters, a value 1–255 (COS doc 35665; characters, not bytes). */
  maxTagKeyLength: 127,
  maxTagValueLength: 255,
  /**
   * Grants in one AccessControlPolicy. COS publishes no number for objects; S3 allows 100, and a
   * bound is needed so that an ACL body cannot grow the object record without limit.
   */
  maxAclGrants: 100,
  /** `Days` of a restore request (how long the restored copy stays readable). */
  minRestoreDays: 1,
  maxRestoreDays: 365,
  /**
   * AWS SigV4 (the S3 dialect): how far a request's `X-Amz-Date` may be from the server clock, seconds
   * (S3: 15 minutes; q-sign uses the same tolerance for a window that starts in the future).
   */
  maxClockSkewSeconds: 900,
  /** AWS SigV4 pre-signed URLs: largest `X-Amz-Expires`, seconds (S3: 7 days). */
  maxPresignedExpiresSeconds: 604_800,
  /**
   * aws-chunked bodies: longest chunk header line (`<hex size>;chunk-signature=<64 hex>`, 87 bytes in
   * practice) and longest trailer section (checksum headers and the trailer signature). The decoder
   * buffers at most these many bytes; chosen, not published by AWS.
   */
  maxAwsChunkHeaderBytes: 4096,
  maxAwsChunkTrailerBytes: 16 * 1024,
  /** PUT Bucket cors: rules per configuration, and characters of a rule's ID (COS doc 8279). */
  maxCorsRules: 100,
  maxCorsRuleIdLength: 255,
  /** POST Object: bytes of the form fields before the file, together (names and values). */
  maxPostFormFieldBytes: 64 * 1024,
} as const;

export const SIZE_UNITS = { KiB: 1024, MiB, GiB } as const;
