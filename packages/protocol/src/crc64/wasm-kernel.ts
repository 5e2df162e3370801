import type { Crc64Halves } from './crc64-value.js';
import { CRC64_WASM_BASE64 } from './crc64-wasm.generated.js';

/** The part of the WebAssembly JS API used here; the package compiles without DOM typings, which declare it. */
interface WebAssemblyApi {
  Module: new (binary: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
}

/** What crc64.wat exports. */
interface KernelExports {
  memory: { buffer: ArrayBuffer };
  /** Continues the CRC at statePtr over the first `length` bytes of the window. */
  update(length: number): void;
  statePtr: { value: number };
  windowPtr: { value: number };
  windowSize: { value: number };
}

interface Kernel {
  update: (length: number) => void;
  /** Views of the wasm memory, which never grows, so they stay valid. */
  memory: Uint8Array;
  view: DataView;
  window: Uint8Array;
  statePtr: number;
  windowPtr: number;
  windowSize: number;
}

let kernel: Kernel | undefined;

/**
 * Compiles and instantiates the kernel. Synchronous on purpose: hashing runs inside stream transforms,
 * and the module is ~1.6 KB, well under the size engines allow for synchronous compilation.
 */
function loadKernel(): Kernel {
  const binary = Uint8Array.from(atob(CRC64_WASM_BASE64), (c) => c.charCodeAt(0));
  const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
  const exports = new Instance(new Module(binary)).exports as KernelExports;
  const buffer = exports.memory.buffer;
  const windowPtr = exports.windowPtr.value;
  const windowSize = exports.windowSize.value;
  kernel = {
    update: exports.update,
    memory: new Uint8Array(buffer),
    view: new DataView(buffer),
    window: new Uint8Array(buffer, windowPtr, windowSize),
    statePtr: exports.statePtr.value,
    windowPtr,
    windowSize,
  };
  return kernel;
}

/**
 * Continues `crc` (a finished CRC-64/XZ value, updated in place) over `data`. Input larger than the wasm
 * input window (windowSize in crc64.wat) is copied in and hashed window by window.
 */
export function updateWithBytes(crc: Crc64Halves, data: Uint8Array): void {
  const length = data.length;
  if (length === 0) return;
  const k = kernel ?? loadKernel();
  const { view, statePtr, windowSize } = k;
  view.setUint32(statePtr, crc.lo, true);
  view.setUint32(statePtr + 4, crc.hi, true);
  if (length <= windowSize) {
    k.memory.set(data, k.windowPtr);
    k.update(length);
  } else {
    for (let offset = 0; offset < length; offset += windowSize) {
      const end = Math.min(offset + windowSize, length);
      k.memory.set(data.subarray(offset, end), k.windowPtr);
      k.update(end - offset);
    }
  }
  crc.lo = view.getUint32(statePtr, true);
  crc.hi = view.getUint32(statePtr + 4, true);
}

const encoder = new TextEncoder();

/**
 * Continues `crc` (updated in place) over the UTF-8 encoding of `text`.
 * @returns the number of bytes hashed (the UTF-8 length of `text`).
 */
export function updateWithString(crc: Crc64Halves, text: string): number {
  const k = kernel ?? loadKernel();
  // A UTF-16 code unit encodes to at most 3 UTF-8 bytes, so this fits the window: encode straight into it.
  if (text.length * 3 > k.windowSize) {
    const bytes = encoder.encode(text);
    updateWithBytes(crc, bytes);
    return bytes.length;
  }
  const { written } = encoder.encodeInto(text, k.window);
  if (written === 0) return 0;
  const { view, statePtr } = k;
  view.setUint32(statePtr, crc.lo, true);
  view.setUint32(statePtr + 4, crc.hi, true);
  k.update(written);
  crc.lo = view.getUint32(statePtr, true);
  crc.hi = view.getUint32(statePtr + 4, true);
  return written;
}
