/**
 * A small scanner for the XML parts of an .xlsx package. Spreadsheet applications write these
 * parts as plain, well-formed XML without a document type, so the scanner needs only elements,
 * attributes, text, character references, comments, processing instructions and CDATA. Element
 * and attribute names lose their namespace prefix, so `x:row` and `row` read the same.
 */

export interface XmlHandler {
  open(name: string, attributes: Record<string, string>, selfClosing: boolean): void;
  close?(name: string): void;
  /**
   * Receives text in document order. One text run or CDATA section may come in several calls,
   * because the scanner passes text on as it arrives instead of holding a run whole.
   */
  text?(text: string): void;
}

/** Feeds a document to a handler, as scanXml does or in pieces as an XmlScanner does. */
export type XmlSource = (handler: XmlHandler) => void;

const SLASH = 47;
const EXCLAMATION = 33;
const QUESTION = 63;
const GREATER = 62;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;
/** XML names never contain control characters; a NUL in a tag would otherwise hide its element. */
const CONTROL_CHARACTER = /[\u0000-\u001f]/;
/** The length of `<![CDATA[`, the longest opening that decides how markup after `<!` ends. */
const LONGEST_DECLARATION_OPENING = 9;
/**
 * Maximum length of a tag in characters, attributes included. Attributes in spreadsheet parts are
 * names, numbers, cell references and links, far shorter than this. A longer tag would have to be
 * held whole, taking memory in proportion to its length.
 */
export const MAX_TAG_LENGTH = 1024 * 1024;
/**
 * Maximum length of a character reference that the scanner keeps back when text is cut inside
 * one, such as `&#x1F600;`. A longer one, which only padding zeros make, is passed on as written.
 */
const MAX_REFERENCE_LENGTH = 32;
/** A text's end that may be the start of a character reference cut off by the end of a piece. */
const REFERENCE_START = /^&#?[0-9A-Za-z]*$/;

/** Calls the handler for every tag and text run of the document, in order. */
export function scanXml(xml: string, handler: XmlHandler): void {
  const scanner = new XmlScanner(handler);
  scanner.push(xml);
  scanner.end();
}

/** Markup whose end has not arrived yet: a comment, a processing instruction, CDATA or a declaration. */
interface OpenMarkup {
  /** The characters that end it, such as `-->`. */
  end: string;
  /** True for CDATA, whose content is text. */
  isText: boolean;
  /** The offset of its `<` in the whole document, for error messages. */
  offset: number;
}

/**
 * Scans a document that arrives in pieces, such as a part as it is unpacked. The handler gets
 * the same calls as scanXml makes for the whole document, wherever the pieces are cut, except
 * that text may come in more calls. Text and CDATA are passed on, and comments and processing
 * instructions skipped, as they arrive. The buffer therefore keeps at most one tag, which
 * MAX_TAG_LENGTH bounds, or the few characters at a piece's end that may start a marker or a
 * character reference. Error messages give offsets in the whole document.
 */
export class XmlScanner {
  /** The text not scanned yet, which starts with an incomplete construct after each scan. */
  private buffer = '';
  /** Pieces pushed since the last scan, to be joined to the buffer. */
  private pieces: string[] = [];
  private piecesLength = 0;
  /** The length of the buffer after the last scan, which stopped at an incomplete construct. */
  private stalledLength = 0;
  /** The offset of the buffer's first character in the document. */
  private base = 0;
  /** Open elements, so that a part cut short or with crossed tags is rejected, not half read. */
  private readonly open: string[] = [];
  /** A comment, processing instruction, CDATA section or declaration that started in an earlier scan. */
  private openMarkup: OpenMarkup | null = null;

  constructor(private readonly handler: XmlHandler) {}

  /** The number of characters held back until more text arrives. */
  get bufferedLength(): number {
    return this.buffer.length + this.piecesLength;
  }

  push(piece: string): void {
    if (piece === '') return;
    this.pieces.push(piece);
    this.piecesLength += piece.length;
    // Each scan reads an incomplete tag again from its start, so the scanner waits until the
    // buffered text has doubled. A tag of n characters then costs O(n) in all.
    if (this.buffer.length + this.piecesLength < 2 * this.stalledLength) return;
    this.scan(false);
  }

  /** Scans what is left and throws when the document ends inside a tag or an element. */
  end(): void {
    this.scan(true);
    if (this.open.length > 0) throw new Error(`the part ends inside the element ${this.open.at(-1)}`);
  }

  private scan(final: boolean): void {
    const xml = this.pieces.length === 0 ? this.buffer : this.buffer + this.pieces.join('');
    this.pieces = [];
    this.piecesLength = 0;
    const stop = this.scanText(xml, final);
    this.buffer = stop < xml.length ? xml.slice(stop) : '';
    this.base += stop;
    this.stalledLength = this.buffer.length;
  }

  /**
   * Scans `xml` and returns the offset where scanning stopped: the start of an incomplete tag,
   * the few characters held back at the end of text or markup, or xml.length. When `final` is
   * true the text is the rest of the document, so an incomplete construct is an error, except
   * for text after the last tag.
   */
  private scanText(xml: string, final: boolean): number {
    const length = xml.length;
    let position = 0;
    if (this.openMarkup) {
      position = this.continueMarkup(xml, 0, final);
      if (this.openMarkup) return position;
    }
    while (position < length) {
      const start = xml.indexOf('<', position);
      if (start < 0) {
        const stop = final ? length : textStop(xml, position);
        if (stop > position) this.emitText(xml.slice(position, stop));
        return stop;
      }
      if (start > position) this.emitText(xml.slice(position, start));
      position = start;

      if (start + 1 >= length && !final) return start;
      const next = xml.charCodeAt(start + 1);
      let end: number;
      if (next === SLASH) {
        end = this.closeTagEnd(xml, start, final);
        if (end >= 0) this.readClosingTag(xml, start, end);
      } else if (next === EXCLAMATION) {
        if (!final && length - start < LONGEST_DECLARATION_OPENING) return start;
        position = this.readDeclaration(xml, start, final);
        if (this.openMarkup) return position;
        continue;
      } else if (next === QUESTION) {
        position = this.startMarkup(xml, start, 1, { end: '?>', isText: false, offset: this.base + start }, final);
        if (this.openMarkup) return position;
        continue;
      } else {
        end = this.tagEnd(xml, start, final);
        if (end >= 0) this.readTag(xml, start + 1, end);
      }
      if (end < 0) return start;
      position = end + 1;
    }
    return position;
  }

  private closeTagEnd(xml: string, start: number, final: boolean): number {
    const end = xml.indexOf('>', start);
    this.checkTagLength(end < 0 ? xml.length : end + 1, start);
    if (end < 0 && final) throw new Error(`unterminated tag at offset ${this.base + start}`);
    return end;
  }

  /** Throws when the tag at `start`, which reaches at least to `end`, is longer than MAX_TAG_LENGTH. */
  private checkTagLength(end: number, start: number): void {
    if (end - start > MAX_TAG_LENGTH) {
      throw new Error(`the tag at offset ${this.base + start} is longer than ${MAX_TAG_LENGTH.toLocaleString('en')} characters`);
    }
  }

  private readClosingTag(xml: string, start: number, end: number): void {
    const name = localName(xml.slice(start + 2, end).trim());
    const expected = this.open.pop();
    if (expected !== name) {
      throw new Error(`closing tag ${name} at offset ${this.base + start} does not match ${expected ?? 'any open element'}`);
    }
    this.handler.close?.(name);
  }

  /**
   * Reads a comment, a CDATA section or a declaration such as a document type, which is
   * skipped, and returns the offset after it, or after the part of it that this text holds.
   */
  private readDeclaration(xml: string, start: number, final: boolean): number {
    const offset = this.base + start;
    if (xml.startsWith('<!--', start)) return this.startMarkup(xml, start, 2, { end: '-->', isText: false, offset }, final);
    if (xml.startsWith('<![CDATA[', start)) return this.startMarkup(xml, start, 9, { end: ']]>', isText: true, offset }, final);
    return this.startMarkup(xml, start, 2, { end: '>', isText: false, offset }, final);
  }

  /**
   * Reads markup from `start` as continueMarkup does, searching its end from `openingLength`
   * characters on. The search starts inside the opening, so `<!-->` and `<?>` read as complete.
   */
  private startMarkup(xml: string, start: number, openingLength: number, markup: OpenMarkup, final: boolean): number {
    this.openMarkup = markup;
    return this.continueMarkup(xml, start + openingLength, final);
  }

  /**
   * Reads the open markup's content from `from`: CDATA as text, anything else skipped. Returns
   * the offset after its end and clears openMarkup. When the end has not arrived, returns where
   * the content read so far stops, short of any characters that may start the end marker.
   */
  private continueMarkup(xml: string, from: number, final: boolean): number {
    const markup = this.openMarkup!;
    const end = xml.indexOf(markup.end, from);
    if (end >= 0) {
      if (markup.isText && end > from) this.handler.text?.(xml.slice(from, end));
      this.openMarkup = null;
      return end + markup.end.length;
    }
    // Text up to the end of the document is passed on before the error, as pieces would pass it.
    const stop = final ? xml.length : Math.max(from, wholeCharactersEnd(xml, xml.length - (markup.end.length - 1)));
    if (markup.isText && stop > from) this.handler.text?.(xml.slice(from, stop));
    if (final) throw new Error(`unterminated ${markup.isText ? 'CDATA section' : 'markup'} at offset ${markup.offset}`);
    return stop;
  }

  /**
   * Finds the `>` that ends the tag at `start`, passing over any `>` inside a quoted attribute
   * value. Returns -1 when the text ends before the tag does.
   */
  private tagEnd(xml: string, start: number, final: boolean): number {
    const limit = Math.min(xml.length, start + MAX_TAG_LENGTH);
    for (let index = start + 1; index < limit; index++) {
      const code = xml.charCodeAt(index);
      if (code === GREATER) return index;
      if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
        const close = xml.indexOf(code === DOUBLE_QUOTE ? '"' : "'", index + 1);
        if (close < 0) break;
        index = close;
      }
    }
    this.checkTagLength(xml.length, start);
    if (final) throw new Error(`unterminated tag at offset ${this.base + start}`);
    return -1;
  }

  private emitText(raw: string): void {
    if (this.handler.text) this.handler.text(decodeEntities(raw));
  }

  /** Reads the tag between `from` (after `<`) and `to` (the `>`), and calls the handler. */
  private readTag(xml: string, from: number, to: number): void {
    const selfClosing = xml.charCodeAt(to - 1) === SLASH;
    const stop = selfClosing ? to - 1 : to;
    let index = from;
    while (index < stop && !isSpace(xml.charCodeAt(index)) && xml.charCodeAt(index) !== SLASH) index++;
    const name = localName(xml.slice(from, index));
    if (name === '' || CONTROL_CHARACTER.test(name)) throw new Error(`invalid element name at offset ${this.base + from}`);
    const attributes = index < stop ? this.readAttributes(xml, index, stop) : NO_ATTRIBUTES;
    if (!selfClosing) this.open.push(name);
    this.handler.open(name, attributes, selfClosing);
    if (selfClosing) this.handler.close?.(name);
  }

  private readAttributes(xml: string, from: number, stop: number): Record<string, string> {
    const attributes: Record<string, string> = {};
    let index = from;
    while (index < stop) {
      while (index < stop && isSpace(xml.charCodeAt(index))) index++;
      if (index >= stop) break;
      const nameStart = index;
      while (index < stop && xml.charCodeAt(index) !== 61 /* = */ && !isSpace(xml.charCodeAt(index))) index++;
      const name = xml.slice(nameStart, index);
      while (index < stop && xml.charCodeAt(index) !== DOUBLE_QUOTE && xml.charCodeAt(index) !== SINGLE_QUOTE) index++;
      if (index >= stop) break;
      const quote = xml[index]!;
      const close = xml.indexOf(quote, index + 1);
      // A value that runs past the tag's `>` is unterminated, whatever text follows the tag.
      if (close < 0 || close > stop) throw new Error(`unterminated attribute value at offset ${this.base + index}`);
      attributes[localName(name)] = decodeEntities(xml.slice(index + 1, close));
      index = close + 1;
    }
    return attributes;
  }
}

/**
 * Returns where the text from `from` to the end of `xml` may be cut while more text is to come:
 * before a `&` whose character reference the next piece may complete, before a high surrogate,
 * or else at the end.
 */
function textStop(xml: string, from: number): number {
  const ampersand = xml.lastIndexOf('&');
  if (ampersand >= from && xml.length - ampersand <= MAX_REFERENCE_LENGTH && REFERENCE_START.test(xml.slice(ampersand))) {
    return ampersand;
  }
  return wholeCharactersEnd(xml, xml.length);
}

/** Returns `end`, or `end - 1` when a high surrogate before `end` waits for its pair, so that every text call gets whole characters. */
function wholeCharactersEnd(xml: string, end: number): number {
  const last = xml.charCodeAt(end - 1);
  return last >= 0xd800 && last <= 0xdbff ? end - 1 : end;
}

/** Space, tab, line feed or carriage return: the white space XML allows between attributes. */
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Replaces the five named entities and numeric character references. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return fromCodePoint(Number.parseInt(entity.slice(2), 16), whole);
    if (entity.startsWith('#')) return fromCodePoint(Number.parseInt(entity.slice(1), 10), whole);
    return Object.hasOwn(NAMED_ENTITIES, entity) ? NAMED_ENTITIES[entity]! : whole;
  });
}

function fromCodePoint(codePoint: number, fallback: string): string {
  return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : fallback;
}
