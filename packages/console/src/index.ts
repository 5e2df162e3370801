/**
 * @packageDocumentation
 * `@coskit/console` — the web console of `coskit serve`. Its code runs only in the browser: `npm run
 * build` bundles `web/` (Preact + the browser build of `@coskit/client`) with esbuild into static
 * files. This entry only says where those files are, so that a server can serve them without
 * importing any of the console's (or the client's) code:
 *
 * ```ts
 * import { CONSOLE_DIR } from '@coskit/console';
 * await startServer({ consoleDir: CONSOLE_DIR }); // http://127.0.0.1:9000/_console/
 * ```
 */
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the built console: `index.html` and `assets/` (content-hashed file names).
 * This file is `dist/src/index.js`; the build writes the console to `dist/web/`.
 */
export const CONSOLE_DIR: string = fileURLToPath(new URL('../web/', import.meta.url));
