/**
 * The `<Tagging>` body of PUT Object tagging requests and GET Object tagging answers (docs 35709,
 * 35710). The tag rules themselves are in `../tagging.ts`.
 */
import type { CosTag } from '../tagging.js';
import { xmlDocument, xmlParent, xmlText } from './build.js';
import { XmlCodecError } from './codec-error.js';
import { childrenNamed, firstChild } from './fields.js';
import { parseXmlRoot } from './parse.js';

/** An object's tags as the XML body carries them. */
export interface Tagging {
  /** The `<Tag>` elements of `<TagSet>`, in document order. */
  TagSet: CosTag[];
}

/**
 * `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>`; `<TagSet/>` when there are no
 * tags. The server answers GET Object tagging with it (declaration included), the client sends it.
 *
 * @throws {@link XmlUnrepresentableError} if a key or value holds characters XML 1.0 cannot carry.
 */
export function buildTagging(model: Tagging): string {
  return xmlDocument(
    xmlParent('Tagging', [
      xmlParent(
        'TagSet',
        model.TagSet.map((tag, i) =>
          xmlParent('Tag', [
            xmlText('Key', tag.Key, `Tag[${i}].Key`),
            xmlText('Value', tag.Value, `Tag[${i}].Value`),
          ]),
        ),
      ),
    ]),
  );
}

/**
 * Reads the body (either side). Every `<Tag>` needs exactly one `<Key>` and one `<Value>` (their
 * text kept as is); a missing `<TagSet>` means no tags. Whether the tags obey COS's rules is
 * `checkTagSet`'s question (400 `InvalidTag`), not a schema error.
 *
 * @throws {@link XmlCodecError} if the root is not `Tagging` or a tag is incomplete.
 */
export function parseTagging(xml: string | Uint8Array): Tagging {
  const root = parseXmlRoot(xml, 'Tagging');
  const set = firstChild(root, ['TagSet']);
  return {
    TagSet: (set ? childrenNamed(set, ['Tag']) : []).map((tag, i): CosTag => {
      const keys = childrenNamed(tag, ['Key']);
      const values = childrenNamed(tag, ['Value']);
      if (keys.length !== 1 || values.length !== 1) {
        throw new XmlCodecError(`Tag[${i}] must have exactly one <Key> and one <Value>`);
      }
      return { Key: keys[0]!.text, Value: values[0]!.text };
    }),
  };
}
