/**
 * Counts the text that a content stream shows, read from its operators rather than from pdf.js.
 * pdf.js 5.4 leaves glyphs placed outside the page out of the text content that it returns
 * (compareWithLastPosition in its text extraction). It still parses and lays out each of them,
 * so the text content alone can report a fraction of the text that a page costs.
 */

const WHITE_SPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
/** Tj, TJ, ' and ", the operators that show strings. */
const TEXT_SHOWING_OPERATORS = new Set(['Tj', 'TJ', "'", '"']);

/**
 * Returns the bytes of the strings that the text-showing operators of a content stream take,
 * decoded from their literal or hexadecimal form. A font with one-byte codes shows one glyph a
 * byte, and a font with two-byte codes, such as Identity-H, one glyph per two bytes.
 */
export function countShownTextBytes(content: Uint8Array): number {
  let shown = 0;
  // String bytes read since the last operator, which become shown text if that operator shows text.
  let pending = 0;
  let index = 0;
  while (index < content.length) {
    const byte = content[index]!;
    if (WHITE_SPACE.has(byte)) {
      index++;
    } else if (byte === 0x25) {
      index = skipComment(content, index);
    } else if (byte === 0x28) {
      const string = readLiteralString(content, index);
      pending += string.bytes;
      index = string.end;
    } else if (byte === 0x3c && content[index + 1] !== 0x3c) {
      const string = readHexString(content, index);
      pending += string.bytes;
      index = string.end;
    } else if (byte === 0x2f) {
      index = skipRegular(content, index + 1);
    } else if (DELIMITERS.has(byte)) {
      // Array and dictionary brackets are operands.
      index += byte === 0x3c || byte === 0x3e ? 2 : 1;
    } else {
      const end = skipRegular(content, index);
      const token = Buffer.from(content.subarray(index, end)).toString('latin1');
      index = end;
      if (isNumber(token)) continue;
      if (TEXT_SHOWING_OPERATORS.has(token)) shown += pending;
      pending = 0;
      if (token === 'ID') index = skipInlineImage(content, index);
    }
  }
  return shown;
}

function skipComment(content: Uint8Array, index: number): number {
  while (index < content.length && content[index] !== 0x0a && content[index] !== 0x0d) index++;
  return index;
}

function skipRegular(content: Uint8Array, index: number): number {
  while (index < content.length && !WHITE_SPACE.has(content[index]!) && !DELIMITERS.has(content[index]!)) index++;
  return index;
}

function isNumber(token: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(token);
}

/** Reads a literal string from its opening parenthesis, with nested parentheses and escapes. */
function readLiteralString(content: Uint8Array, start: number): { bytes: number; end: number } {
  let bytes = 0;
  let depth = 1;
  let index = start + 1;
  while (index < content.length) {
    const byte = content[index++]!;
    if (byte === 0x5c) {
      const next = content[index];
      if (next === 0x0d || next === 0x0a) {
        // A backslash before an end of line continues the string on the next line.
        index += next === 0x0d && content[index + 1] === 0x0a ? 2 : 1;
        continue;
      }
      if (next !== undefined && next >= 0x30 && next <= 0x37) {
        let digits = 0;
        while (digits < 3 && content[index] !== undefined && content[index]! >= 0x30 && content[index]! <= 0x37) {
          index++;
          digits++;
        }
      } else {
        index++;
      }
      bytes++;
    } else if (byte === 0x28) {
      depth++;
      bytes++;
    } else if (byte === 0x29) {
      depth--;
      if (depth === 0) break;
      bytes++;
    } else {
      bytes++;
    }
  }
  return { bytes, end: index };
}

/** Reads a hexadecimal string from its opening angle bracket. An odd last digit makes a whole byte. */
function readHexString(content: Uint8Array, start: number): { bytes: number; end: number } {
  let digits = 0;
  let index = start + 1;
  while (index < content.length && content[index] !== 0x3e) {
    if (!WHITE_SPACE.has(content[index]!)) digits++;
    index++;
  }
  return { bytes: Math.ceil(digits / 2), end: index + 1 };
}

/** Skips an inline image's data, from after its ID operator to the EI operator that ends it. */
function skipInlineImage(content: Uint8Array, index: number): number {
  for (let at = index + 1; at + 1 < content.length; at++) {
    const ends =
      content[at] === 0x45 &&
      content[at + 1] === 0x49 &&
      WHITE_SPACE.has(content[at - 1]!) &&
      (at + 2 === content.length || WHITE_SPACE.has(content[at + 2]!));
    if (ends) return at + 2;
  }
  return content.length;
}
