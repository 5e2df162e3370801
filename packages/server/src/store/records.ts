/** The records the metadata store keeps. Times are Unix milliseconds; sizes are bytes. */

/** Stored object headers, lower-case name → value (Content-Type, Cache-Control, x-cos-meta-*, ACL…). */
export type StoredHeaders = Record<string, string>;

/** A run of an object's bytes held in one blob file. */
export interface Segment {
  readonly blob: string;
  readonly size: number;
}

export interface BucketRecord {
  readonly created: number;
  /** Canned ACL (`private`, `public-read`, …). */
  readonly acl: string;
  /** `x-cos-grant-*` headers given at creation. */
  readonly grants: StoredHeaders;
}

export interface ObjectRecord {
  readonly size: number;
  /** Quoted, as sent in the ETag header. */
  readonly etag: string;
  /** CRC-64/XZ of the whole object, decimal. */
  readonly crc64: string;
  readonly lastModified: number;
  readonly headers: StoredHeaders;
  /** The object's bytes, in order; a multipart object keeps its parts' blobs, an appendable one grows. */
  readonly segments: readonly Segment[];
  readonly appendable: boolean;
}

export interface UploadRecord {
  readonly initiated: number;
  /** Initiate's headers: they become the final object's headers. */
  readonly headers: StoredHeaders;
}

export interface PartRecord {
  readonly blob: string;
  readonly size: number;
  /** Quoted MD5 hex of the part. */
  readonly etag: string;
  readonly crc64: string;
  readonly lastModified: number;
}
