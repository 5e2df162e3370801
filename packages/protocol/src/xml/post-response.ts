/** S3's `PostResponse`: the body of a POST Object answered with `success_action_status=201`. */
import { xmlDocument, xmlParent, xmlText } from './build.js';

export interface PostResponse {
  readonly Location: string;
  readonly Bucket: string;
  readonly Key: string;
  /** Quoted, as the ETag header. */
  readonly ETag: string;
}

/** `<PostResponse>` with `Location`, `Bucket`, `Key`, `ETag` in S3's order. */
export function buildPostResponse(model: PostResponse): string {
  return xmlDocument(
    xmlParent('PostResponse', [
      xmlText('Location', model.Location),
      xmlText('Bucket', model.Bucket),
      xmlText('Key', model.Key),
      xmlText('ETag', model.ETag),
    ]),
  );
}
