#!/usr/bin/env node
// Assembles packages/protocol/src/crc64/crc64.wat with wabt and writes the bytes, base64-encoded,
// to crc64-wasm.generated.ts, so the runtime needs neither wabt nor a file read.
//
//   node scripts/gen-crc64-wasm.mjs          regenerate
//   node scripts/gen-crc64-wasm.mjs --check  exit 1 if the generated file is stale
//
// The protocol test suite imports assembleCrc64Wat() from here to prove the two files agree.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const crc64Dir = new URL('../packages/protocol/src/crc64/', import.meta.url);
export const watUrl = new URL('crc64.wat', crc64Dir);
export const generatedUrl = new URL('crc64-wasm.generated.ts', crc64Dir);

/**
 * Assembles WAT source text into a WebAssembly binary, with fixed options so the output is reproducible.
 * @param {string} watText
 * @returns {Promise<Uint8Array>}
 */
export async function assembleCrc64Wat(watText) {
  const wabt = await wabtInit();
  // Only MVP features: the kernel must instantiate on every Node >= 20 without flags.
  const module = wabt.parseWat('crc64.wat', watText, {});
  try {
    module.validate();
    const { buffer } = module.toBinary({
      log: false,
      canonicalize_lebs: true,
      relocatable: false,
      write_debug_names: false,
    });
    return Uint8Array.from(buffer);
  } finally {
    module.destroy();
  }
}

/**
 * Renders the TypeScript module that carries the binary.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function renderGeneratedModule(bytes) {
  const base64 = Buffer.from(bytes).toString('base64');
  return `// GENERATED FILE - do not edit. Source: crc64.wat in this directory.
// Regenerate with: node scripts/gen-crc64-wasm.mjs
// (the protocol tests fail if this file and crc64.wat disagree).

/** The assembled CRC-64/XZ kernel (crc64.wat), ${bytes.length} bytes, base64-encoded. */
export const CRC64_WASM_BASE64 =
  '${base64}';
`;
}

async function main() {
  const bytes = await assembleCrc64Wat(await readFile(watUrl, 'utf8'));
  const text = renderGeneratedModule(bytes);
  const path = fileURLToPath(generatedUrl);
  if (process.argv.includes('--check')) {
    const current = await readFile(generatedUrl, 'utf8').catch(() => '');
    if (current !== text) {
      console.error(`${path} is stale; run: node scripts/gen-crc64-wasm.mjs`);
      process.exitCode = 1;
    }
    return;
  }
  await writeFile(generatedUrl, text);
  console.log(`wrote ${path} (${bytes.length} bytes of wasm)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
