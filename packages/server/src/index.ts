/** @packageDocumentation The coskit server (work in progress: see the issues). */
export const PACKAGE_NAME = '@coskit/server';
