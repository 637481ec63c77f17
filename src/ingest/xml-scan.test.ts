import { describe, expect, it } from 'vitest';
import { MAX_TAG_LENGTH, scanXml, XmlScanner, type XmlHandler } from './xml-scan.ts';

/**
 * Returns a handler that lists the scanner's calls as strings, so that a test can compare them in
 * one assertion. Consecutive text calls are joined into one entry, because the scanner may pass
 * one text run in several calls.
 */
function recorder(seen: string[]): XmlHandler {
  let textOpen = false;
  const record = (entry: string) => {
    textOpen = false;
    seen.push(entry);
  };
  return {
    open: (name, attributes, selfClosing) => record(`open ${name} ${JSON.stringify(attributes)}${selfClosing ? ' /' : ''}`),
    close: (name) => record(`close ${name}`),
    text: (text) => {
      if (textOpen) seen[seen.length - 1] += text;
      else record(`text ${text}`);
      textOpen = true;
    },
  };
}

function events(xml: string): string[] {
  const seen: string[] = [];
  scanXml(xml, recorder(seen));
  return seen;
}

/** Scans `xml` pushed in pieces cut at `cuts`, and lists the calls, or the error message as the last entry. */
function eventsInPieces(xml: string, cuts: readonly number[]): string[] {
  const seen: string[] = [];
  const scanner = new XmlScanner(recorder(seen));
  try {
    let start = 0;
    for (const cut of [...cuts, xml.length]) {
      scanner.push(xml.slice(start, cut));
      start = cut;
    }
    scanner.end();
  } catch (error) {
    seen.push(`error ${(error as Error).message}`);
  }
  return seen;
}

/** Lists the calls for the whole document, or the error message as the last entry. */
function eventsWhole(xml: string): string[] {
  return eventsInPieces(xml, []);
}

/** A worksheet fragment with a cut-worthy construct at every few characters. */
const PIECES_DOCUMENT =
  '<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet xmlns:x="urn:x"><!-- a > comment -->' +
  '<sheetData><row r="1" spans=\'1:2\'><c r="A1" t="inlineStr"><is><t xml:space="preserve">R&#229;d &amp; &lt;svar&gt; ' +
  'åäö 😀 &#x1F600;</t></is></c><c r="B1" t="str"><f>A1&amp;"&gt;"</f><v>a &quot;b&quot;</v></c></row>' +
  '<row r="2"><c r="A2"><v>12.5</v></c><c r="B2" t="str"><v><![CDATA[<inte> & en tagg]]></v></c></row></sheetData>' +
  '<hyperlinks><hyperlink ref="A1" display="a&amp;b &gt; c"/></hyperlinks></x:worksheet>\n';

describe('scanXml', () => {
  it('reads quoted values that contain > and quotes', () => {
    expect(events(`<numFmt formatCode="[>=100]0 &quot;st&quot;" id='a"b'/>`)).toEqual([
      'open numFmt {"formatCode":"[>=100]0 \\"st\\"","id":"a\\"b"} /',
      'close numFmt',
    ]);
  });

  it('drops prefixes and decodes references', () => {
    expect(events('<x:t xml:space="preserve">R&#229;d &amp; &#x1F600;</x:t>')).toEqual([
      'open t {"space":"preserve"}',
      'text Råd & 😀',
      'close t',
    ]);
  });

  it('passes over comments and declarations and keeps CDATA', () => {
    expect(events('<?xml version="1.0"?><!DOCTYPE x><a><!-- <b> --><![CDATA[<inte en tagg>]]></a>')).toEqual([
      'open a {}',
      'text <inte en tagg>',
      'close a',
    ]);
  });

  it('rejects an unterminated tag', () => {
    expect(() => events('<a><b attribute="x')).toThrow(/unterminated/);
  });

  it('rejects control characters in names', () => {
    expect(() => events('<a><ro\u0000w r="2"></ro\u0000w></a>')).toThrow(/invalid element name/);
  });
});

describe('XmlScanner', () => {
  it('makes the same calls wherever one cut falls', () => {
    const whole = eventsWhole(PIECES_DOCUMENT);
    expect(whole).toContain('text Råd & <svar> åäö 😀 😀');
    for (let cut = 0; cut <= PIECES_DOCUMENT.length; cut++) {
      expect(eventsInPieces(PIECES_DOCUMENT, [cut]), `cut at ${cut}`).toEqual(whole);
    }
  });

  it('makes the same calls for one-character pieces', () => {
    const cuts = Array.from({ length: PIECES_DOCUMENT.length }, (_, index) => index);
    expect(eventsInPieces(PIECES_DOCUMENT, cuts)).toEqual(eventsWhole(PIECES_DOCUMENT));
  });

  it('keeps a surrogate pair cut between two pieces', () => {
    const xml = '<t>a😀b</t>';
    const pairStart = xml.indexOf('😀');
    expect(eventsInPieces(xml, [pairStart + 1])).toEqual(['open t {}', 'text a😀b', 'close t']);
  });

  it('passes whole characters in each text call', () => {
    for (const xml of ['<t>a😀b</t>', '<t><![CDATA[a😀b]]></t>']) {
      const texts: string[] = [];
      const scanner = new XmlScanner({ open: () => {}, text: (text) => texts.push(text) });
      const pairStart = xml.indexOf('😀');
      scanner.push(xml.slice(0, pairStart + 1));
      scanner.push(xml.slice(pairStart + 1));
      scanner.end();
      expect(texts.join(''), xml).toBe('a😀b');
      expect(texts.some((text) => /[\uD800-\uDBFF]$/.test(text)), xml).toBe(false);
    }
  });

  it('joins an entity cut between two pieces', () => {
    const xml = '<t a="x&amp;y">1 &amp; 2</t>';
    for (const cut of [xml.indexOf('&amp;') + 2, xml.lastIndexOf('&amp;') + 3]) {
      expect(eventsInPieces(xml, [cut]), `cut at ${cut}`).toEqual(['open t {"a":"x&y"}', 'text 1 & 2', 'close t']);
    }
  });

  it('reports the same error and offset wherever one cut falls', () => {
    const documents = [
      '<a><b attribute="x',
      '<a><b></c></a>',
      '<a><ro\u0000w r="2"></ro\u0000w></a>',
      '<a b="1 > 2></a>',
      '<a><![CDATA[open</a>',
      '<a><!-- open</a>',
      '<a><?pi open</a>',
      '<a><b>text',
      '<a><',
    ];
    for (const xml of documents) {
      const whole = eventsWhole(xml);
      expect(whole.at(-1), xml).toMatch(/^error /);
      for (let cut = 0; cut <= xml.length; cut++) {
        expect(eventsInPieces(xml, [cut]), `${xml} cut at ${cut}`).toEqual(whole);
      }
    }
  });

  it('gives offsets in the whole document after many pieces', () => {
    const rows = '<row r="1"><c><v>1</v></c></row>'.repeat(200);
    const xml = `<sheetData>${rows}<row r="2"></rad></sheetData>`;
    const cuts = Array.from({ length: Math.floor(xml.length / 7) }, (_, index) => index * 7);
    expect(eventsInPieces(xml, cuts).at(-1)).toBe(`error closing tag rad at offset ${xml.indexOf('</rad>')} does not match row`);
  });

  it('reads a long text run pushed in many pieces', () => {
    const text = 'ab&amp;'.repeat(50_000);
    const xml = `<t>${text}</t>`;
    const cuts = Array.from({ length: Math.floor(xml.length / 1000) }, (_, index) => index * 1000);
    expect(eventsInPieces(xml, cuts)).toEqual(['open t {}', `text ${'ab&'.repeat(50_000)}`, 'close t']);
  });

  it('holds no text between elements', () => {
    const texts: string[] = [];
    const scanner = new XmlScanner({ open: () => {}, close: () => {}, text: (text) => texts.push(text) });
    scanner.push('<sheetData><row r="1">');
    for (let piece = 0; piece < 16; piece++) {
      scanner.push(' '.repeat(1024 * 1024));
      expect(scanner.bufferedLength).toBe(0);
    }
    scanner.push('</row></sheetData>');
    scanner.end();
    expect(texts.join('')).toHaveLength(16 * 1024 * 1024);
  });

  it('holds no comment or CDATA', () => {
    const cases = [
      { opening: '<sheetData><!--', filler: '-', closing: '--><row r="1"/></sheetData>', expected: ['open sheetData {}', 'open row {"r":"1"} /', 'close row', 'close sheetData'] },
      { opening: '<v><![CDATA[', filler: ']', closing: ']]]></v>', expected: ['open v {}', `text ${']'.repeat(4 * 1024 * 1024 + 1)}`, 'close v'] },
    ];
    for (const { opening, filler, closing, expected } of cases) {
      const seen: string[] = [];
      const scanner = new XmlScanner(recorder(seen));
      scanner.push(opening);
      for (let piece = 0; piece < 4; piece++) {
        scanner.push(filler.repeat(1024 * 1024));
        expect(scanner.bufferedLength, opening).toBeLessThanOrEqual(2);
      }
      scanner.push(closing);
      scanner.end();
      expect(seen, opening).toEqual(expected);
    }
  });

  it('rejects a tag longer than MAX_TAG_LENGTH', () => {
    const tag = (length: number) => `<row r="1"${' '.repeat(length - '<row r="1">'.length)}>`;
    expect(tag(MAX_TAG_LENGTH)).toHaveLength(MAX_TAG_LENGTH);
    expect(eventsWhole(`<a>${tag(MAX_TAG_LENGTH)}</row></a>`).at(-1)).toBe('close a');

    const xml = `<a>${tag(MAX_TAG_LENGTH + 1)}</row></a>`;
    const message = 'error the tag at offset 3 is longer than 1,048,576 characters';
    expect(eventsWhole(xml).at(-1)).toBe(message);
    const cuts = Array.from({ length: 20 }, (_, index) => index * 65_536 + 7);
    expect(eventsInPieces(xml, cuts).at(-1)).toBe(message);
    expect(eventsWhole(`<a></a${' '.repeat(MAX_TAG_LENGTH)}>`).at(-1)).toBe(message);
  });
});
