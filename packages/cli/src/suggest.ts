/**
 * "Did you mean …?" for an unknown command: first what users of coscli, `aws s3` and rclone type
 * for the same job (`copy` → cp, `signurl` → presign), then the nearest command by a weighted
 * edit distance — an adjacent swap costs half (`sl` → ls), and a suggestion must keep more than
 * half of the typed name (`mv` is not `mb`: one of its two letters differs).
 */

/** Other tools' verbs for what a coskit command does. */
const OTHER_TOOLS: Record<string, string> = {
  copy: 'cp',
  upload: 'cp',
  download: 'cp',
  get: 'cp',
  put: 'cp',
  list: 'ls',
  dir: 'ls',
  lsd: 'ls',
  lsf: 'ls',
  lsl: 'ls',
  remove: 'rm',
  del: 'rm',
  delete: 'rm',
  deletefile: 'rm',
  purge: 'rm -r',
  mkdir: 'mb',
  makebucket: 'mb',
  rmdir: 'rb',
  removebucket: 'rb',
  signurl: 'presign',
  link: 'presign',
  lsparts: 'multipart parts',
  abort: 'multipart abort',
  head: 'stat',
  info: 'stat',
  size: 'du',
  md5sum: 'hash',
  md5: 'hash',
  crc64: 'hash',
  hashsum: 'hash',
  server: 'serve',
};

/** Edit distance with insert/delete/substitute = 1 and a swap of neighbours = 0.5. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...new Array<number>(b.length).fill(0),
  ]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 0.5);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The command `typed` most likely meant, or undefined when none is close enough. */
export function suggestCommand(typed: string, commands: readonly string[]): string | undefined {
  const name = typed.toLowerCase();
  const alias = OTHER_TOOLS[name];
  if (alias && commands.includes(alias.split(' ')[0]!)) return alias;
  let best: { command: string; distance: number } | undefined;
  for (const command of commands) {
    const distance = editDistance(name, command);
    // More than half of the longer name must survive.
    if (distance * 2 >= Math.max(name.length, command.length)) continue;
    if (!best || distance < best.distance) best = { command, distance };
  }
  return best?.command;
}
