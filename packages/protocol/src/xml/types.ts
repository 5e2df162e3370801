/**
 * Typed models of the XML bodies of the upload API. Keys keep the wire (PascalCase) names because
 * the client returns them to users under those names; values have real types.
 *
 * Conventions shared by every parser: a required string field is `''` when its element is absent
 * or empty; an optional field (marked `?`) is left out when its element is absent or empty; a number
 * is `0` when absent or empty; a boolean is `true` only for the text `true`; a list is always an
 * array. ETags keep their surrounding double quotes (`"…"`) and are quoted if the body lacked them.
 */

import type { AwsChecksumAlgorithm } from '../checksum/aws-checksum.js';

/** `Owner` / `Initiator`: an account. */
export interface CosOwner {
  ID: string;
  DisplayName: string;
}

/** Body of Initiate Multipart Upload's answer (§4.3). */
export interface InitiateMultipartUploadResult {
  Bucket: string;
  Key: string;
  UploadId: string;
}

/**
 * S3 checksums by algorithm, base64 as `x-amz-checksum-*` carries them (`<ChecksumCRC32>`, …): the
 * S3 dialect's elements, left out of COS answers that have none.
 */
export type ChecksumValues = Partial<Record<AwsChecksumAlgorithm, string>>;

/** One `<Part>` of a Complete Multipart Upload request. */
export interface CompletePart {
  /** Part number, an integer (range and order are the server's checks). */
  PartNumber: number;
  /** The part's ETag, quoted. */
  ETag: string;
  /** S3: the part's checksums the request lists (`<ChecksumCRC32>`, …), if any. */
  Checksums?: ChecksumValues;
}

/** Body of a Complete Multipart Upload request (§4.7), sent by the client. */
export interface CompleteMultipartUpload {
  Part: CompletePart[];
}

/** Body of Complete Multipart Upload's answer (§4.7). */
export interface CompleteMultipartUploadResult {
  Location: string;
  Bucket: string;
  Key: string;
  /** Multipart ETag, quoted, e.g. `"aa259a…-3"`. */
  ETag: string;
  /** S3: the object's checksum (composite ones end in `-<parts>`), if the upload has one. */
  Checksums?: ChecksumValues;
  /** S3: `COMPOSITE` or `FULL_OBJECT`, with `Checksums`. */
  ChecksumType?: string;
}

/** Body of Upload Part - Copy's answer (§4.5). */
export interface CopyPartResult {
  ETag: string;
  LastModified: string;
  /** S3: the part's checksum, when its upload has a checksum algorithm. */
  Checksums?: ChecksumValues;
}

/** One `<Part>` of a List Parts answer. */
export interface ListedPart {
  PartNumber: number;
  LastModified: string;
  /** `"` + lowercase MD5 hex + `"`: the SDKs' resume logic compares it literally. */
  ETag: string;
  Size: number;
  /** S3: the part's checksum, when it was uploaded with one. */
  Checksums?: ChecksumValues;
}

/** Body of List Parts' answer (§4.6). */
export interface ListPartsResult {
  Bucket: string;
  /** What the body's `Encoding-type` said (`url`); left out when empty. Builders ignore it. */
  EncodingType?: string;
  /** Object key, decoded when the body was url-encoded. */
  Key: string;
  UploadId: string;
  Initiator: CosOwner;
  Owner: CosOwner;
  PartNumberMarker: number;
  Part: ListedPart[];
  NextPartNumberMarker: number;
  StorageClass: string;
  MaxParts: number;
  IsTruncated: boolean;
  /** S3: the upload's `x-amz-checksum-algorithm` (`CRC32`, …), if it has one. */
  ChecksumAlgorithm?: string;
  /** S3: the upload's checksum type, with `ChecksumAlgorithm`. */
  ChecksumType?: string;
}

/** One `<CommonPrefixes>` entry of a listing. */
export interface CommonPrefix {
  /** Decoded when the body was url-encoded. */
  Prefix: string;
}

/** One `<Upload>` of a List Multipart Uploads answer. */
export interface ListedUpload {
  /** Decoded when the body was url-encoded. */
  Key: string;
  UploadId: string;
  StorageClass: string;
  Initiator: CosOwner;
  Owner: CosOwner;
  Initiated: string;
}

/** Body of List Multipart Uploads' answer (§4.9). */
export interface ListMultipartUploadsResult {
  Bucket: string;
  /** What the body's `Encoding-Type` said (`url`); left out when empty. Builders ignore it. */
  EncodingType?: string;
  KeyMarker: string;
  UploadIdMarker: string;
  NextKeyMarker: string;
  NextUploadIdMarker: string;
  MaxUploads: number;
  IsTruncated: boolean;
  Prefix: string;
  Delimiter: string;
  Upload: ListedUpload[];
  CommonPrefixes: CommonPrefix[];
}

/** One `<Contents>` of a List Objects answer. */
export interface ListedObject {
  /** Decoded when the body was url-encoded. */
  Key: string;
  LastModified: string;
  ETag: string;
  Size: number;
  Owner: CosOwner;
  StorageClass: string;
}

/** Body of GET Bucket (List Objects)' answer (§4.15). */
export interface ListBucketResult {
  Name: string;
  /** What the body's `EncodingType` said (`url`); left out when empty. Builders ignore it. */
  EncodingType?: string;
  Prefix: string;
  Marker: string;
  MaxKeys: number;
  Delimiter: string;
  IsTruncated: boolean;
  /** Present only when the listing is truncated (and the server chose to give one). */
  NextMarker?: string;
  CommonPrefixes: CommonPrefix[];
  Contents: ListedObject[];
}

/**
 * An `<Error>` body (§3.3): the five standard fields plus any extra leaf elements (e.g.
 * `StringToSign`, `FormatString` for `SignatureDoesNotMatch`), all strings.
 */
export interface CosErrorBody {
  Code: string;
  Message: string;
  Resource: string;
  RequestId: string;
  TraceId: string;
  [field: string]: string;
}

/** One bucket of GET Service. */
export interface ListedBucket {
  Name: string;
  /** Region, e.g. `ap-guangzhou`. */
  Location: string;
  /** ISO-8601. */
  CreationDate: string;
}

/** GET Service (List Buckets) answer. */
export interface ListAllMyBucketsResult {
  Owner: CosOwner;
  Buckets: ListedBucket[];
}
