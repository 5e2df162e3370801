/**
 * Preloaded into a measured child (`node --import <this> …`): on exit it prints the process's peak
 * resident set size as `coskit-bench peak-rss-kib <n>` on standard error, for the bench to read.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `coskit-bench peak-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
