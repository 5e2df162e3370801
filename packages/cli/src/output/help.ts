/**
 * Help text: `prose` joins a template's lines into paragraphs (blank lines separate them; lines that
 * start with spaces stay as they are), so commander can wrap them to the terminal's width.
 */
export function prose(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const last = out.length - 1;
    if (line === '' || line.startsWith('  ') || last < 0 || out[last] === '' || out[last]!.startsWith('  ')) {
      out.push(line);
    } else {
      out[last] = `${out[last]} ${line}`;
    }
  }
  return out.join('\n');
}
