/** GET Bucket Object versions' answer (`GET /?versions`, doc 35521): `<ListVersionsResult>`. */

import { xmlBoolean, xmlDocument, xmlInteger, xmlOwner, xmlParent, xmlText } from './build.js';
import { quoteETag } from './etag.js';
import {
  ENCODING_TYPE_NAMES,
  readBoolean,
  readCommonPrefixes,
  readETag,
  readInteger,
  readOptionalString,
  readOwner,
  readString,
} from './fields.js';
import {
  encodingTypeText,
  type ListEncodingType,
  listingDecoder,
  listingTextWriter,
} from './listing-encoding.js';
import { parseXmlRoot, type XmlElement } from './parse.js';
import type { CommonPrefix, CosOwner } from './types.js';

/** One `<Version>`: a stored version of an object. */
export interface ListedVersion {
  Type: 'Version';
  /** Decoded when the body was url-encoded. */
  Key: string;
  /** `null` for the version written while versioning was off or suspended. */
  VersionId: string;
  IsLatest: boolean;
  LastModified: string;
  ETag: string;
  Size: number;
  StorageClass: string;
  Owner: CosOwner;
}

/** One `<DeleteMarker>`: the version a DELETE without `versionId` left on a versioned bucket. */
export interface ListedDeleteMarker {
  Type: 'DeleteMarker';
  /** Decoded when the body was url-encoded. */
  Key: string;
  VersionId: string;
  IsLatest: boolean;
  LastModified: string;
  Owner: CosOwner;
}

/** A `<Version>` or `<DeleteMarker>` entry, told apart by `Type`. */
export type ListedVersionEntry = ListedVersion | ListedDeleteMarker;

/** Body of GET Bucket Object versions' answer. */
export interface ListVersionsResult {
  Name: string;
  /** What the body's `EncodingType` said (`url`); left out when empty. Builders ignore it. */
  EncodingType?: string;
  Prefix: string;
  KeyMarker: string;
  VersionIdMarker: string;
  MaxKeys: number;
  IsTruncated: boolean;
  /** Present only when the listing is truncated: where the next page starts. */
  NextKeyMarker?: string;
  NextVersionIdMarker?: string;
  Delimiter: string;
  CommonPrefixes: CommonPrefix[];
  /**
   * Versions and delete markers in listing order: keys ascending, each key's versions newest
   * first. The wire interleaves `<Version>` and `<DeleteMarker>` in that order, so one list keeps it.
   */
  Entries: ListedVersionEntry[];
}

/**
 * Server side: the body in the order of the COS doc sample (`Name`, `EncodingType`, `Prefix`,
 * `KeyMarker`, `VersionIdMarker`, `MaxKeys`, `IsTruncated`, `NextKeyMarker`,
 * `NextVersionIdMarker`, `Delimiter`, `CommonPrefixes`, then the entries). The two `Next*`
 * markers are written only when truncated. With `encodingType` `url`, `Prefix`, `KeyMarker`,
 * `NextKeyMarker`, `Delimiter`, `CommonPrefixes.Prefix` and every `Key` are percent-encoded
 * (version IDs are URL-safe and written as they are).
 *
 * @throws {@link XmlUnrepresentableError} if, without `url`, a key holds characters XML 1.0 cannot carry.
 */
export function buildListVersionsResult(model: ListVersionsResult, encodingType?: ListEncodingType): string {
  const encoded = listingTextWriter(encodingType);
  const truncated = model.IsTruncated;
  return xmlDocument(
    xmlParent('ListVersionsResult', [
      xmlText('Name', model.Name),
      ...(encodingType === undefined ? [] : [xmlText('EncodingType', encodingTypeText(encodingType))]),
      encoded('Prefix', model.Prefix),
      encoded('KeyMarker', model.KeyMarker),
      xmlText('VersionIdMarker', model.VersionIdMarker),
      xmlInteger('MaxKeys', model.MaxKeys),
      xmlBoolean('IsTruncated', truncated),
      ...(truncated && model.NextKeyMarker !== undefined
        ? [encoded('NextKeyMarker', model.NextKeyMarker)]
        : []),
      ...(truncated && model.NextVersionIdMarker !== undefined
        ? [xmlText('NextVersionIdMarker', model.NextVersionIdMarker)]
        : []),
      encoded('Delimiter', model.Delimiter),
      ...model.CommonPrefixes.map((entry, i) =>
        xmlParent('CommonPrefixes', [encoded('Prefix', entry.Prefix, `CommonPrefixes[${i}].Prefix`)]),
      ),
      ...model.Entries.map((entry, i) => {
        const field = `${entry.Type}[${i}]`;
        const common = [
          encoded('Key', entry.Key, `${field}.Key`),
          xmlText('VersionId', entry.VersionId, `${field}.VersionId`),
          xmlBoolean('IsLatest', entry.IsLatest),
          xmlText('LastModified', entry.LastModified, `${field}.LastModified`),
        ];
        return entry.Type === 'DeleteMarker'
          ? xmlParent('DeleteMarker', [...common, xmlOwner('Owner', entry.Owner, `${field}.Owner`)])
          : xmlParent('Version', [
              ...common,
              xmlText('ETag', quoteETag(entry.ETag), `${field}.ETag`),
              xmlInteger('Size', entry.Size),
              xmlText('StorageClass', entry.StorageClass, `${field}.StorageClass`),
              xmlOwner('Owner', entry.Owner, `${field}.Owner`),
            ]);
      }),
    ]),
  );
}

function readEntry(el: XmlElement, decode: (value: string) => string): ListedVersionEntry | undefined {
  const common = {
    Key: decode(readString(el, 'Key')),
    VersionId: readString(el, 'VersionId'),
    IsLatest: readBoolean(el, 'IsLatest'),
    LastModified: readString(el, 'LastModified'),
    Owner: readOwner(el, 'Owner'),
  };
  if (el.name === 'DeleteMarker') return { Type: 'DeleteMarker', ...common };
  if (el.name !== 'Version') return undefined;
  return {
    Type: 'Version',
    ...common,
    ETag: readETag(el),
    Size: readInteger(el, 'Size'),
    StorageClass: readString(el, 'StorageClass'),
  };
}

/**
 * Client side: reads the body (any spelling of `EncodingType`, `CommonPrefixs` too); the fields
 * listed at the builder are decoded when the body says `url`, and so are the version-ID markers
 * (harmless for URL-safe IDs, and what the Python SDK does). `Next*` markers are left out when
 * absent or empty.
 *
 * @throws {@link XmlCodecError} if the root is not `ListVersionsResult` or a number is not an integer.
 */
export function parseListVersionsResult(xml: string | Uint8Array): ListVersionsResult {
  const root = parseXmlRoot(xml, 'ListVersionsResult');
  const encodingType = readOptionalString(root, ...ENCODING_TYPE_NAMES);
  const decode = listingDecoder(encodingType);
  const nextKeyMarker = readOptionalString(root, 'NextKeyMarker');
  const nextVersionIdMarker = readOptionalString(root, 'NextVersionIdMarker');
  return {
    Name: readString(root, 'Name'),
    ...(encodingType === undefined ? {} : { EncodingType: encodingType }),
    Prefix: decode(readString(root, 'Prefix')),
    KeyMarker: decode(readString(root, 'KeyMarker')),
    VersionIdMarker: decode(readString(root, 'VersionIdMarker')),
    MaxKeys: readInteger(root, 'MaxKeys'),
    IsTruncated: readBoolean(root, 'IsTruncated'),
    ...(nextKeyMarker === undefined ? {} : { NextKeyMarker: decode(nextKeyMarker) }),
    ...(nextVersionIdMarker === undefined ? {} : { NextVersionIdMarker: decode(nextVersionIdMarker) }),
    Delimiter: decode(readString(root, 'Delimiter')),
    CommonPrefixes: readCommonPrefixes(root, decode),
    Entries: root.children.flatMap((child) => readEntry(child, decode) ?? []),
  };
}
