/** @packageDocumentation The coskit client (work in progress: see the issues). */
export const PACKAGE_NAME = '@coskit/client';
