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

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Calls the handler for every tag and text run of the document, in order. */
export function scanXml(xml: string, handler: XmlHandler): void {
  let position = 0;
  const length = xml.length;
  while (position < length) {
    const start = xml.indexOf('<', position);
    if (start < 0) {
      emitText(xml.slice(position), handler);
      return;
    }
    if (start > position) emitText(xml.slice(position, start), handler);

    if (xml.startsWith('<!--', start)) {
      position = endOf(xml, '-->', start);
    } else if (xml.startsWith('<![CDATA[', start)) {
      const end = xml.indexOf(']]>', start);
      if (end < 0) throw new Error('unterminated CDATA section');
      handler.text?.(xml.slice(start + 9, end));
      position = end + 3;
    } else if (xml[start + 1] === '?' || xml[start + 1] === '!') {
      position = endOf(xml, '>', start);
    } else {
      const end = xml.indexOf('>', start);
      if (end < 0) throw new Error('unterminated tag');
      readTag(xml.slice(start + 1, end), handler);
      position = end + 1;
    }
  }
}

function endOf(xml: string, marker: string, start: number): number {
  const end = xml.indexOf(marker, start);
  if (end < 0) throw new Error(`unterminated markup at offset ${start}`);
  return end + marker.length;
}

function emitText(raw: string, handler: XmlHandler) {
  if (handler.text) handler.text(decodeEntities(raw));
}

function readTag(body: string, handler: XmlHandler) {
  if (body.startsWith('/')) {
    handler.close?.(localName(body.slice(1).trim()));
    return;
  }
  const selfClosing = body.endsWith('/');
  const content = selfClosing ? body.slice(0, -1) : body;
  const nameEnd = content.search(/[\s/]/);
  const name = localName(nameEnd < 0 ? content : content.slice(0, nameEnd));
  const attributes: Record<string, string> = {};
  if (nameEnd >= 0) {
    for (const match of content.slice(nameEnd).matchAll(ATTRIBUTE)) {
      attributes[localName(match[1]!)] = decodeEntities(match[2] ?? match[3] ?? '');
    }
  }
  handler.open(name, attributes, selfClosing);
  if (selfClosing) handler.close?.(name);
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
    return NAMED_ENTITIES[entity] ?? whole;
  });
}

function fromCodePoint(codePoint: number, fallback: string): string {
  return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : fallback;
}
