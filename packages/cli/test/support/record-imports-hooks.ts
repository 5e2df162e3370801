/**
 * Module resolve hook (runs on the loader thread): appends every resolved module URL to the file
 * named by COSKIT_IMPORT_LOG, so a test can see which packages a command loaded.
 */
import { appendFileSync } from 'node:fs';

interface ResolveResult {
  url: string;
}

export async function resolve(
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  const result = await next(specifier, context);
  const log = process.env['COSKIT_IMPORT_LOG'];
  if (log) appendFileSync(log, `${result.url}\n`);
  return result;
}
