/**
 * S3 GetObjectAttributes' answer (`GET /<key>?attributes`, S3 dialect only: COS has no such call):
 * `<GetObjectAttributesResponse>` with the elements the request's `x-amz-object-attributes` asks for,
 * in S3's order. Server side only.
 */
import { xmlBoolean, xmlDocument, xmlInteger, xmlParent, xmlText } from './build.js';
import { xmlChecksums } from './checksums.js';
import type { ChecksumValues } from './types.js';

/** The attribute names `x-amz-object-attributes` may list (S3's spelling, case-sensitive). */
export const OBJECT_ATTRIBUTES = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'] as const;
export type ObjectAttribute = (typeof OBJECT_ATTRIBUTES)[number];

/** One `<Part>` of `<ObjectParts>`. */
export interface ObjectAttributesPart {
  PartNumber: number;
  Size: number;
  Checksums?: ChecksumValues;
}

/** Body of GetObjectAttributes' answer; each field only when asked for and known. */
export interface GetObjectAttributesResult {
  /** The ETag without its quotes, as S3 sends it here. */
  ETag?: string;
  Checksum?: { Checksums: ChecksumValues; ChecksumType: string };
  ObjectParts?: {
    /** Written as `<PartsCount>`, S3's element name. */
    TotalPartsCount: number;
    PartNumberMarker: number;
    NextPartNumberMarker: number;
    MaxParts: number;
    IsTruncated: boolean;
    Part: ObjectAttributesPart[];
  };
  StorageClass?: string;
  ObjectSize?: number;
}

/**
 * Server side: the body, elements in S3's order (ETag, Checksum, ObjectParts, StorageClass, ObjectSize).
 * @throws {@link XmlUnrepresentableError} if a value holds characters XML 1.0 cannot carry.
 */
export function buildGetObjectAttributesResult(model: GetObjectAttributesResult): string {
  const parts = model.ObjectParts;
  return xmlDocument(
    xmlParent('GetObjectAttributesResponse', [
      ...(model.ETag === undefined ? [] : [xmlText('ETag', model.ETag)]),
      ...(model.Checksum === undefined
        ? []
        : [
            xmlParent('Checksum', [
              ...xmlChecksums(model.Checksum.Checksums),
              xmlText('ChecksumType', model.Checksum.ChecksumType),
            ]),
          ]),
      ...(parts === undefined
        ? []
        : [
            xmlParent('ObjectParts', [
              xmlInteger('PartsCount', parts.TotalPartsCount),
              xmlInteger('PartNumberMarker', parts.PartNumberMarker),
              xmlInteger('NextPartNumberMarker', parts.NextPartNumberMarker),
              xmlInteger('MaxParts', parts.MaxParts),
              xmlBoolean('IsTruncated', parts.IsTruncated),
              ...parts.Part.map((p) =>
                xmlParent('Part', [
                  xmlInteger('PartNumber', p.PartNumber),
                  xmlInteger('Size', p.Size),
                  ...xmlChecksums(p.Checksums),
                ]),
              ),
            ]),
          ]),
      ...(model.StorageClass === undefined ? [] : [xmlText('StorageClass', model.StorageClass)]),
      ...(model.ObjectSize === undefined ? [] : [xmlInteger('ObjectSize', model.ObjectSize)]),
    ]),
  );
}
