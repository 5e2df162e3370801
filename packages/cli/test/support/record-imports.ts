/** Preload (`node --import`) that installs {@link ./record-imports-hooks.ts}. */
import { register } from 'node:module';

register('./record-imports-hooks.js', import.meta.url);
