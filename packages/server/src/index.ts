/**
 * @packageDocumentation
 * `@coskit/server` — a durable COS-compatible object server that speaks the real COS XML API and
 * q-sign signature, so the official COS SDKs, the coskit SDK and the coskit CLI work against it.
 */
export {
  CONNECTION_DEFAULTS,
  DEVELOPMENT_CREDENTIAL,
  type ServerConfig,
  type ServerOptions,
  type StorageKind,
} from './config.js';
export type { Credential } from './http/auth.js';
export { ALWAYS_EXPOSED_HEADERS, developmentCorsRule } from './http/cors.js';
export { type RunningServer, startServer } from './server.js';
export type { Store } from './store/store.js';
