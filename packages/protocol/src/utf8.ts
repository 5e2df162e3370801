/**
 * UTF-8 helpers that work without Node's `Buffer`, so `@coskit/protocol` runs in browsers too.
 */

/**
 * The number of bytes `text` takes in UTF-8, counted from its UTF-16 code units without encoding it
 * (no allocation). An unpaired surrogate counts 3 bytes, as U+FFFD would.
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4; // a surrogate pair is one code point above U+FFFF
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
