/** Node's {@link Platform}: requests on `node:http`/`node:https`, file slices read with `node:fs`. */
import type { CosConfig } from '../config.js';
import type { Platform } from '../transport/sender.js';
import { openFileSlice } from './file-slice-stream.js';
import { NodeHttpSender } from './http-sender.js';

export function nodePlatform(config: CosConfig): Platform {
  return { sender: new NodeHttpSender(config.maxSockets), openFileSlice };
}
