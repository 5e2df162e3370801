/** @packageDocumentation The coskit command-line interface. */

export { EXIT } from './exit-codes.js';
export { buildProgram, run } from './program.js';
export { Runtime } from './runtime.js';
export { UsageError } from './usage-error.js';
