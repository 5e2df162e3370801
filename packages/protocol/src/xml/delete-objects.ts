/**
 * Delete Multiple Objects (`POST /?delete`, doc 8289): the `<Delete>` request the client sends and
 * the `<DeleteResult>` the server answers with.
 */
import { LIMITS } from '../limits.js';
import { xmlBoolean, xmlDocument, xmlParent, xmlText } from './build.js';
import { XmlCodecError } from './codec-error.js';
import { childrenNamed, readBoolean, readOptionalString, readString } from './fields.js';
import { type ListEncodingType, listingDecoder, listingTextWriter } from './listing-encoding.js';
import { parseXmlRoot } from './parse.js';

/** One `<Object>` of a Delete request. */
export interface DeleteObjectEntry {
  Key: string;
  /** A version to delete for good; without it a versioned bucket gets a delete marker. */
  VersionId?: string;
}

/** Body of a Delete Multiple Objects request. */
export interface DeleteObjectsRequest {
  /** `true`: the answer lists only the keys that failed. Default `false` (verbose). */
  Quiet: boolean;
  Object: DeleteObjectEntry[];
}

/** One `<Deleted>` of the answer. */
export interface DeletedEntry {
  /** Decoded when the body was url-encoded. */
  Key: string;
  /** The version that was removed for good (a `VersionId` was given). */
  VersionId?: string;
  /** `true` when this delete created or removed a delete marker. */
  DeleteMarker?: boolean;
  /** The ID of the delete marker created or removed. */
  DeleteMarkerVersionId?: string;
}

/** One `<Error>` of the answer: a key that could not be deleted. */
export interface DeleteErrorEntry {
  /** Decoded when the body was url-encoded. */
  Key: string;
  VersionId?: string;
  /** A COS error code, e.g. `AccessDenied`. */
  Code: string;
  Message: string;
}

/** Body of Delete Multiple Objects' answer. */
export interface DeleteResult {
  /** `url` when the keys are percent-encoded; left out otherwise. Builders ignore it. */
  EncodingType?: string;
  Deleted: DeletedEntry[];
  Error: DeleteErrorEntry[];
}

/**
 * Client side: the request body in the order of the COS doc (`Quiet`, then one `<Object>` per
 * key, `VersionId` only when given). No declaration, no whitespace (the Content-MD5 is computed
 * over exactly these bytes).
 *
 * @throws {@link XmlUnrepresentableError} if a key holds characters XML 1.0 cannot carry (such a
 *   key cannot be named in a Delete request at all; delete it with DELETE Object).
 */
export function buildDeleteObjects(model: DeleteObjectsRequest): string {
  return xmlParent('Delete', [
    xmlBoolean('Quiet', model.Quiet),
    ...model.Object.map((entry, i) =>
      xmlParent('Object', [
        xmlText('Key', entry.Key, `Object[${i}].Key`),
        ...(entry.VersionId === undefined
          ? []
          : [xmlText('VersionId', entry.VersionId, `Object[${i}].VersionId`)]),
      ]),
    ),
  ]);
}

/**
 * Server side: reads and bounds-checks the request body: root `Delete`, 1 to
 * {@link LIMITS.maxDeleteObjects} `<Object>` elements, each with exactly one `<Key>` (its text
 * kept byte for byte; an empty key is the handler's per-key error) and at most one `<VersionId>`.
 * `Quiet` is true only for the text `true`. Other elements are ignored.
 *
 * @throws {@link XmlCodecError} (`MalformedXML`) for anything else.
 */
export function parseDeleteObjects(xml: string | Uint8Array): DeleteObjectsRequest {
  const root = parseXmlRoot(xml, 'Delete');
  const objects = childrenNamed(root, ['Object']);
  if (objects.length === 0) throw new XmlCodecError('Delete lists no <Object>');
  if (objects.length > LIMITS.maxDeleteObjects) {
    throw new XmlCodecError(`Delete lists ${objects.length} objects, more than ${LIMITS.maxDeleteObjects}`);
  }
  return {
    Quiet: readBoolean(root, 'Quiet'),
    Object: objects.map((object, i): DeleteObjectEntry => {
      const keys = childrenNamed(object, ['Key']);
      if (keys.length !== 1)
        throw new XmlCodecError(`Object[${i}] must have exactly one <Key>, has ${keys.length}`);
      const versions = childrenNamed(object, ['VersionId']);
      if (versions.length > 1)
        throw new XmlCodecError(`Object[${i}] has ${versions.length} <VersionId> elements`);
      const versionId = versions[0]?.text.trim();
      return { Key: keys[0]!.text, ...(versionId ? { VersionId: versionId } : {}) };
    }),
  };
}

/**
 * Server side: the `DeleteResult` body: every `<Deleted>` (`Key`, `VersionId`, `DeleteMarker`,
 * `DeleteMarkerVersionId`, the optional ones only when set), then every `<Error>` (`Key`,
 * `VersionId`, `Code`, `Message`). In Quiet mode the caller passes no `Deleted` entries. With
 * `encodingType` `url` the keys are percent-encoded and `<EncodingType>url</EncodingType>` leads.
 *
 * @throws {@link XmlUnrepresentableError} if, without `url`, a key holds characters XML 1.0 cannot carry.
 */
export function buildDeleteResult(model: DeleteResult, encodingType?: ListEncodingType): string {
  const key = listingTextWriter(encodingType);
  return xmlDocument(
    xmlParent('DeleteResult', [
      ...(encodingType === undefined ? [] : [xmlText('EncodingType', encodingType)]),
      ...model.Deleted.map((entry, i) =>
        xmlParent('Deleted', [
          key('Key', entry.Key, `Deleted[${i}].Key`),
          ...(entry.VersionId === undefined ? [] : [xmlText('VersionId', entry.VersionId)]),
          ...(entry.DeleteMarker === undefined ? [] : [xmlBoolean('DeleteMarker', entry.DeleteMarker)]),
          ...(entry.DeleteMarkerVersionId === undefined
            ? []
            : [xmlText('DeleteMarkerVersionId', entry.DeleteMarkerVersionId)]),
        ]),
      ),
      ...model.Error.map((entry, i) =>
        xmlParent('Error', [
          key('Key', entry.Key, `Error[${i}].Key`),
          ...(entry.VersionId === undefined ? [] : [xmlText('VersionId', entry.VersionId)]),
          xmlText('Code', entry.Code),
          xmlText('Message', entry.Message),
        ]),
      ),
    ]),
  );
}

/**
 * Client side: reads the answer; keys are decoded when the body says `EncodingType` `url`. A
 * Quiet answer with nothing failed may be `<DeleteResult/>`: both lists are then empty.
 *
 * @throws {@link XmlCodecError} if the root is not `DeleteResult`.
 */
export function parseDeleteResult(xml: string | Uint8Array): DeleteResult {
  const root = parseXmlRoot(xml, 'DeleteResult');
  const encodingType = readOptionalString(root, 'EncodingType');
  const decode = listingDecoder(encodingType);
  return {
    ...(encodingType === undefined ? {} : { EncodingType: encodingType }),
    Deleted: childrenNamed(root, ['Deleted']).map((entry): DeletedEntry => {
      const versionId = readOptionalString(entry, 'VersionId');
      const marker = readOptionalString(entry, 'DeleteMarker');
      const markerVersionId = readOptionalString(entry, 'DeleteMarkerVersionId');
      return {
        Key: decode(readString(entry, 'Key')),
        ...(versionId === undefined ? {} : { VersionId: versionId }),
        ...(marker === undefined ? {} : { DeleteMarker: readBoolean(entry, 'DeleteMarker') }),
        ...(markerVersionId === undefined ? {} : { DeleteMarkerVersionId: markerVersionId }),
      };
    }),
    Error: childrenNamed(root, ['Error']).map((entry): DeleteErrorEntry => {
      const versionId = readOptionalString(entry, 'VersionId');
      return {
        Key: decode(readString(entry, 'Key')),
        ...(versionId === undefined ? {} : { VersionId: versionId }),
        Code: readString(entry, 'Code'),
        Message: readString(entry, 'Message'),
      };
    }),
  };
}
