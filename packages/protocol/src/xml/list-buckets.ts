/** GET Service (List Buckets)' answer: `ListAllMyBucketsResult`. */
import { xmlDocument, xmlOwner, xmlParent, xmlText } from './build.js';
import { childrenNamed, firstChild, readOwner, readString } from './fields.js';
import { parseXmlRoot } from './parse.js';
import type { ListAllMyBucketsResult } from './types.js';

/** Server side: `<Owner>` then `<Buckets>` with one `<Bucket>` (Name, Location, CreationDate) each. */
export function buildListAllMyBucketsResult(model: ListAllMyBucketsResult): string {
  return xmlDocument(
    xmlParent('ListAllMyBucketsResult', [
      xmlOwner('Owner', model.Owner),
      xmlParent(
        'Buckets',
        model.Buckets.map((b, i) =>
          xmlParent('Bucket', [
            xmlText('Name', b.Name, `Buckets[${i}].Name`),
            xmlText('Location', b.Location, `Buckets[${i}].Location`),
            xmlText('CreationDate', b.CreationDate, `Buckets[${i}].CreationDate`),
          ]),
        ),
      ),
    ]),
  );
}

/** Client side: the buckets as an array (also when there is one or none). */
export function parseListAllMyBucketsResult(xml: string | Uint8Array): ListAllMyBucketsResult {
  const root = parseXmlRoot(xml, 'ListAllMyBucketsResult');
  const buckets = firstChild(root, ['Buckets']);
  return {
    Owner: readOwner(root, 'Owner'),
    Buckets: (buckets ? childrenNamed(buckets, ['Bucket']) : []).map((b) => ({
      Name: readString(b, 'Name'),
      Location: readString(b, 'Location'),
      CreationDate: readString(b, 'CreationDate'),
    })),
  };
}
