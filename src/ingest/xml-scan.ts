/**
 * A small scanner for the XML parts of an .xlsx package. Spreadsheet applications write these
 * parts as plain, well-formed XML without a document type, so the scanner needs only elements,
 * attributes, text, character references, comments, processing instructions and CDATA. Element
 * and attribute names lose their namespace prefix, so `x:row` and `row` read the same.
 */

export interface XmlHandler {
  open(name: string, attributes: Record<string, string>, selfClosing: boolean): void;
  close?(name: string): void;
  text?(text: string): void;
}

const SLASH = 47;
const EXCLAMATION = 33;
const QUESTION = 63;
const GREATER = 62;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;
/** XML names never contain control characters; a NUL in a tag would otherwise hide its element. */
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

/** Calls the handler for every tag and text run of the document, in order. */
export function scanXml(xml: string, handler: XmlHandler): void {
  const length = xml.length;
  // Open elements, so that a part cut short or with crossed tags is rejected, not half read.
  const open: string[] = [];
  const tracking: XmlHandler = {
    open(name, attributes, selfClosing) {
      if (!selfClosing) open.push(name);
      handler.open(name, attributes, selfClosing);
    },
    close(name) {
      handler.close?.(name);
    },
    text: handler.text ? (text) => handler.text!(text) : undefined,
  };
  let position = 0;
  while (position < length) {
    const start = xml.indexOf('<', position);
    if (start < 0) {
      emitText(xml.slice(position), tracking);
      break;
    }
    if (start > position) emitText(xml.slice(position, start), tracking);

    const next = xml.charCodeAt(start + 1);
    if (next === SLASH) {
      const end = xml.indexOf('>', start);
      if (end < 0) throw new Error(`unterminated tag at offset ${start}`);
      const name = localName(xml.slice(start + 2, end).trim());
      const expected = open.pop();
      if (expected !== name) throw new Error(`closing tag ${name} at offset ${start} does not match ${expected ?? 'any open element'}`);
      handler.close?.(name);
      position = end + 1;
    } else if (next === EXCLAMATION) {
      position = readDeclaration(xml, start, tracking);
    } else if (next === QUESTION) {
      position = endOf(xml, '?>', start);
    } else {
      const end = tagEnd(xml, start);
      readTag(xml, start + 1, end, tracking);
      position = end + 1;
    }
  }
  if (open.length > 0) throw new Error(`the part ends inside the element ${open.at(-1)}`);
}

/** Reads a comment, a CDATA section or a declaration such as a document type, which is skipped. */
function readDeclaration(xml: string, start: number, handler: XmlHandler): number {
  if (xml.startsWith('<!--', start)) return endOf(xml, '-->', start);
  if (xml.startsWith('<![CDATA[', start)) {
    const end = xml.indexOf(']]>', start);
    if (end < 0) throw new Error(`unterminated CDATA section at offset ${start}`);
    handler.text?.(xml.slice(start + 9, end));
    return end + 3;
  }
  return endOf(xml, '>', start);
}

function endOf(xml: string, marker: string, start: number): number {
  const end = xml.indexOf(marker, start);
  if (end < 0) throw new Error(`unterminated markup at offset ${start}`);
  return end + marker.length;
}

/** Finds the `>` that ends the tag at `start`, passing over any `>` inside a quoted attribute value. */
function tagEnd(xml: string, start: number): number {
  const end = xml.indexOf('>', start);
  if (end < 0) throw new Error(`unterminated tag at offset ${start}`);
  let quoted = false;
  for (let index = start + 1; index < end && !quoted; index++) {
    const code = xml.charCodeAt(index);
    quoted = code === DOUBLE_QUOTE || code === SINGLE_QUOTE;
  }
  if (!quoted) return end;

  for (let index = start + 1; index < xml.length; index++) {
    const code = xml.charCodeAt(index);
    if (code === GREATER) return index;
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      const close = xml.indexOf(code === DOUBLE_QUOTE ? '"' : "'", index + 1);
      if (close < 0) break;
      index = close;
    }
  }
  throw new Error(`unterminated tag at offset ${start}`);
}

function emitText(raw: string, handler: XmlHandler) {
  if (handler.text) handler.text(decodeEntities(raw));
}

/** Reads the tag between `from` (after `<`) and `to` (the `>`), and calls the handler. */
function readTag(xml: string, from: number, to: number, handler: XmlHandler) {
  const selfClosing = xml.charCodeAt(to - 1) === SLASH;
  const stop = selfClosing ? to - 1 : to;
  let index = from;
  while (index < stop && !isSpace(xml.charCodeAt(index)) && xml.charCodeAt(index) !== SLASH) index++;
  const name = localName(xml.slice(from, index));
  if (name === '' || CONTROL_CHARACTER.test(name)) throw new Error(`invalid element name at offset ${from}`);
  const attributes = index < stop ? readAttributes(xml, index, stop) : NO_ATTRIBUTES;
  handler.open(name, attributes, selfClosing);
  if (selfClosing) handler.close?.(name);
}

function readAttributes(xml: string, from: number, stop: number): Record<string, string> {
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
    if (close < 0 || close > stop) throw new Error(`unterminated attribute value at offset ${index}`);
    attributes[localName(name)] = decodeEntities(xml.slice(index + 1, close));
    index = close + 1;
  }
  return attributes;
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
