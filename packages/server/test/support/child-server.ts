/** Entry point of a server child process for crash tests: `node child-server.js <dataDir>`. */
import { startServer } from '../../src/index.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: child-server.js <dataDir>');
const server = await startServer({ port: 0, dataDir, logLevel: 'silent' });
process.stdout.write(`coskit server listening on ${server.url}\n`);
