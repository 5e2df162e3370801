/** The CLI's version: read from its package.json, the one place it is written. */
import { createRequire } from 'node:module';

// dist/src/version.js → packages/cli/package.json
export const CLI_VERSION: string = (
  createRequire(import.meta.url)('../../package.json') as { version: string }
).version;
