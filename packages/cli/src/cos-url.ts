/** `cos://bucket/key` arguments; `bucket` may be an alias of coscli's ~/.cos.yaml. */
import { checkBucketName, checkObjectKey } from '@coskit/protocol';
import { findBucketEntry, readCosYaml } from './settings/cos-yaml.js';
import { UsageError } from './usage-error.js';

export interface CosLocation {
  readonly bucket: string;
  /** Object key or prefix; '' for the bucket itself. */
  readonly key: string;
}

export function isCosUrl(arg: string): boolean {
  return arg.startsWith('cos://');
}

/**
 * Parses `cos://bucket[/key]`, refusing malformed bucket names before any I/O. As in coscli, a
 * bucket part that is the `alias` of a `cos.buckets` entry of ~/.cos.yaml names that entry's bucket
 * (`cos://photos/a.jpg` → `cos://photos-1250000000/a.jpg`); aliases are matched before names.
 */
export function parseCosUrl(arg: string): CosLocation {
  if (!isCosUrl(arg))
    throw new UsageError(`"${arg}" is not a COS location; write cos://<bucket>-<appid>/<key>.`);
  const rest = arg.slice('cos://'.length);
  const slash = rest.indexOf('/');
  const given = slash < 0 ? rest : rest.slice(0, slash);
  const bucket = given === '' ? given : (findBucketEntry(readCosYaml(), given)?.name ?? given);
  const key = slash < 0 ? '' : rest.slice(slash + 1);
  const problem = checkBucketName(bucket);
  if (problem) throw new UsageError(`in "${arg}": ${problem.message}`);
  return { bucket, key };
}

/** `cos://bucket/key` naming one object: the key must be a valid, non-folder key. */
export function parseObjectUrl(arg: string, hint = ''): CosLocation & { key: string } {
  const loc = parseCosUrl(arg);
  if (loc.key === '' || loc.key.endsWith('/')) {
    throw new UsageError(
      `"${arg}" names no object; write cos://${loc.bucket}/<key>${hint ? ` (${hint})` : ''}.`,
    );
  }
  checkKey(arg, loc.key);
  return loc;
}

/** `cos://bucket` (a trailing `/` is accepted) naming a bucket only. */
export function parseBucketUrl(arg: string): CosLocation {
  const loc = parseCosUrl(arg);
  if (loc.key !== '') throw new UsageError(`"${arg}" names an object; write just cos://${loc.bucket}.`);
  return loc;
}

export function checkKey(arg: string, key: string): void {
  const problem = checkObjectKey(key);
  if (problem) throw new UsageError(`in "${arg}": ${problem.message}`);
}

/** A prefix used as a folder: '' stays '', anything else ends with `/`. */
export function folderPrefix(key: string): string {
  return key === '' || key.endsWith('/') ? key : `${key}/`;
}

export function formatCosUrl(bucket: string, key: string): string {
  return `cos://${bucket}/${key}`;
}
