/** The browser's {@link Platform}: fetch/XHR, no file system, the Host taken from the URL. */
import type { Platform } from '../transport/sender.js';
import { BrowserSender } from './fetch-sender.js';

export function browserPlatform(): Platform {
  return { sender: new BrowserSender(), controlsConnection: false };
}
