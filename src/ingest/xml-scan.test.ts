import { describe, expect, it } from 'vitest';
import { scanXml } from './xml-scan.ts';

/** Lists the scanner's calls as strings, so that a test can compare them in one assertion. */
function events(xml: string): string[] {
  const seen: string[] = [];
  scanXml(xml, {
    open: (name, attributes, selfClosing) => seen.push(`open ${name} ${JSON.stringify(attributes)}${selfClosing ? ' /' : ''}`),
    close: (name) => seen.push(`close ${name}`),
    text: (text) => seen.push(`text ${text}`),
  });
  return seen;
}

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
