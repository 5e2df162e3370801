/**
 * The development key pair `coskit serve` accepts when started without credentials. Written here
 * (not imported from @coskit/server) so that commands other than `serve` never load the server
 * package (LMDB, pino) just for two strings; a test checks it equals the server's.
 */
export const DEVELOPMENT_KEY = {
  secretId: 'AKIDCOSKITDEVELOPMENT0000000000000000',
  secretKey: 'coskit-development-secret-key-000',
} as const;
