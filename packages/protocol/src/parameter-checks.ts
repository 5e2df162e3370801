/**
 * Range checks of request parameters shared by both ends: the client refuses before any I/O,
 * the server answers the COS error. Each returns undefined when the value is acceptable.
 */

import { LIMITS } from './limits.js';
import type { NamingProblem } from './naming.js';
import { utf8ByteLength } from './utf8.js';

/** A refused parameter: the COS code and a message that says what to change. */
export type ParameterProblem = NamingProblem;

const INTEGER = /^\d+$/;

/** `x-cos-traffic-limit`: an integer number of bit/s in 819200–838860800. */
export function checkTrafficLimit(value: string | number): ParameterProblem | undefined {
  const text = String(value);
  const n = Number(text);
  if (!INTEGER.test(text) || n < LIMITS.minTrafficLimit || n > LIMITS.maxTrafficLimit) {
    return {
      code: 'InvalidArgument',
      message: `TrafficLimit must be an integer number of bit/s from ${LIMITS.minTrafficLimit} to ${LIMITS.maxTrafficLimit} (100 KB/s–100 MB/s); got "${text}".`,
    };
  }
  return undefined;
}

/** `partNumber`: an integer in 1–10000. */
export function checkPartNumber(value: string | number): ParameterProblem | undefined {
  const text = String(value);
  const n = Number(text);
  if (!INTEGER.test(text) || n < LIMITS.minPartNumber || n > LIMITS.maxPartNumber) {
    return {
      code: 'InvalidArgument',
      message: `PartNumber must be an integer from ${LIMITS.minPartNumber} to ${LIMITS.maxPartNumber}; got "${text}".`,
    };
  }
  return undefined;
}

/** A list page size (`max-keys`, `max-parts`, `max-uploads`): an integer in `min`–`max`. */
export function checkPageSize(
  name: string,
  value: string | number,
  min: number,
  max: number,
): ParameterProblem | undefined {
  const text = String(value);
  const n = Number(text);
  if (!INTEGER.test(text) || n < min || n > max) {
    return {
      code: 'InvalidArgument',
      message: `${name} must be an integer from ${min} to ${max}; got "${text}".`,
    };
  }
  return undefined;
}

/**
 * Listing parameters compared with keys (`prefix`, `marker`, `key-marker`): at most
 * {@link LIMITS.maxKeyBytes} UTF-8 bytes, since no key is longer (400 `KeyTooLong`).
 */
export function checkKeyParameter(name: string, value: string): ParameterProblem | undefined {
  const bytes = utf8ByteLength(value);
  if (bytes <= LIMITS.maxKeyBytes) return undefined;
  return {
    code: 'KeyTooLong',
    message: `${name} is ${bytes} bytes in UTF-8; no key is longer than ${LIMITS.maxKeyBytes}, so shorten it.`,
  };
}

/** `delimiter`: at most {@link LIMITS.maxKeyBytes} UTF-8 bytes (400 `InvalidArgument`). */
export function checkDelimiter(value: string): ParameterProblem | undefined {
  const bytes = utf8ByteLength(value);
  if (bytes <= LIMITS.maxKeyBytes) return undefined;
  return {
    code: 'InvalidArgument',
    message: `delimiter is ${bytes} bytes in UTF-8; at most ${LIMITS.maxKeyBytes} are allowed (usually it is "/").`,
  };
}

/** `upload-id-marker`: at most {@link LIMITS.maxUploadIdBytes} UTF-8 bytes (400 `InvalidArgument`). */
export function checkUploadIdMarker(value: string): ParameterProblem | undefined {
  const bytes = utf8ByteLength(value);
  if (bytes <= LIMITS.maxUploadIdBytes) return undefined;
  return {
    code: 'InvalidArgument',
    message: `upload-id-marker is ${bytes} bytes; an upload ID is at most ${LIMITS.maxUploadIdBytes}.`,
  };
}
