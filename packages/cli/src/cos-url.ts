/** `cos://bucket/key` arguments. */
import { checkBucketName } from '@coskit/protocol';
import { UsageError } from './usage-error.js';

export interface CosLocation {
  readonly bucket: string;
  /** Object key or prefix; '' for the bucket itself. */
  readonly key: string;
}

export function isCosUrl(arg: string): boolean {
  return arg.startsWith('cos://');
}

/** Parses `cos://bucket[/key]`, refusing malformed bucket names before any I/O. */
export function parseCosUrl(arg: string): CosLocation {
  if (!isCosUrl(arg))
    throw new UsageError(`"${arg}" is not a COS location; write cos://<bucket>-<appid>/<key>.`);
  const rest = arg.slice('cos://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  const problem = checkBucketName(bucket);
  if (problem) throw new UsageError(`in "${arg}": ${problem.message}`);
  return { bucket, key };
}

export function formatCosUrl(bucket: string, key: string): string {
  return `cos://${bucket}/${key}`;
}
