/** @packageDocumentation The coskit command-line interface. */
export const PACKAGE_NAME = '@coskit/cli';
