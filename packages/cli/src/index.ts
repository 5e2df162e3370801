/** @packageDocumentation The coskit command-line interface: `run(process.argv)` is what `bin/coskit.js` does. */

export { run } from './program.js';
