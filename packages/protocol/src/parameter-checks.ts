/**
 * Range checks of request parameters shared by both ends: the client refuses before any I/O,
 * the server answers the COS error. Each returns undefined when the value is acceptable.
 */

import { LIMITS } from './limits.js';
import type { NamingProblem } from './naming.js';

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
