/**
 * The calls the transfer layer makes, as a structural interface that `CosS3Client` satisfies.
 * Keeping it narrow documents exactly which requests an advanced upload sends.
 */

/** Per-request knobs every call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Bytes of the request body written to the socket since the last call (for progress). */
  onUploadProgress?: (bytesDelta: number) => void;
}

export interface TransferClient {
  putObject(
    params: Record<string, unknown> & CallOptions & { Bucket: string; Key: string; Body: Buffer },
  ): Promise<{
    ETag: string;
    'x-cos-hash-crc64ecma'?: string | undefined;
  }>;
  createMultipartUpload(
    params: Record<string, unknown> & CallOptions & { Bucket: string; Key: string },
  ): Promise<{
    UploadId: string;
  }>;
  uploadPart(
    params: CallOptions & {
      Bucket: string;
      Key: string;
      Body: Buffer;
      PartNumber: number;
      UploadId: string;
      EnableMD5?: boolean;
      TrafficLimit?: string | number;
      Crc64?: string;
    },
  ): Promise<{ ETag: string; 'x-cos-hash-crc64ecma'?: string | undefined }>;
  listParts(
    params: CallOptions & {
      Bucket: string;
      Key: string;
      UploadId: string;
      MaxParts?: number;
      PartNumberMarker?: number;
    },
  ): Promise<{
    Part: { PartNumber: number; ETag: string; Size: number }[];
    IsTruncated: boolean;
    NextPartNumberMarker: number;
  }>;
  listMultipartUploads(
    params: CallOptions & {
      Bucket: string;
      Prefix?: string;
      KeyMarker?: string;
      UploadIdMarker?: string;
      MaxUploads?: number;
    },
  ): Promise<{
    Upload: { Key: string; UploadId: string; Initiated: string }[];
    IsTruncated: boolean;
    NextKeyMarker: string;
    NextUploadIdMarker: string;
  }>;
  completeMultipartUpload(
    params: CallOptions & {
      Bucket: string;
      Key: string;
      UploadId: string;
      MultipartUpload: { Part: { PartNumber: number; ETag: string }[] };
    },
  ): Promise<{
    ETag: string;
    Location: string;
    Bucket: string;
    Key: string;
    'x-cos-hash-crc64ecma'?: string | undefined;
  }>;
  abortMultipartUpload(
    params: CallOptions & { Bucket: string; Key: string; UploadId: string },
  ): Promise<unknown>;
}
