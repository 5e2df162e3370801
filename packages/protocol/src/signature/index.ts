export * from './authorization.js';
export * from './canonical.js';
export * from './keys.js';
export * from './post-policy.js';
export * from './presign.js';
export * from './sign.js';
export * from './sigv4/index.js';
export * from './verify.js';
