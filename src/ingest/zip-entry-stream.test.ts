import { unzipSync, zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { locateZipEntry, NOT_STREAMED, PartDecoder, streamEntryText, type ZipEntryData } from './zip-entry-stream.ts';

/** Decodes `bytes` in two pieces cut at `cut`, as a part arrives from the inflater. */
function decodeInTwo(bytes: Uint8Array, cut: number): string {
  const decoder = new PartDecoder();
  return decoder.decode(bytes.subarray(0, cut)) + decoder.decode(bytes.subarray(cut)) + decoder.end();
}

function utf16(text: string, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xfeff, littleEndian);
  for (let index = 0; index < text.length; index++) view.setUint16(2 + index * 2, text.charCodeAt(index), littleEndian);
  return bytes;
}

/** A worksheet-like text of about 420 KB, which DEFLATE packs into many steps. */
const LARGE_TEXT = Array.from({ length: 6_000 }, (_, index) => `<row r="${index + 1}"><c t="s"><v>${index}</v></c><c><v>Råd 😀 ${index * 7}</v></c></row>`).join('');

function zipEntry(text: string, level: 0 | 9 = 9): { archive: Uint8Array; entry: ZipEntryData } {
  const archive = zipSync({ 'a.txt': strToU8('first'), 'xl/sheet.xml': [strToU8(text), { level }] });
  return { archive, entry: locateZipEntry(archive, 1)! };
}

function streamToText(archive: Uint8Array, entry: ZipEntryData): string | typeof NOT_STREAMED {
  let text = '';
  const outcome = streamEntryText(archive, entry, (piece) => {
    text += piece;
  });
  return outcome === NOT_STREAMED ? outcome : text;
}

describe('PartDecoder', () => {
  it('decodes UTF-8 cut inside any character', () => {
    const text = '<t>åäö – 😀 &amp; x</t>';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 0; cut <= bytes.length; cut++) expect(decodeInTwo(bytes, cut), `cut at ${cut}`).toBe(text);
  });

  it('decodes UTF-16 with a byte-order mark cut anywhere', () => {
    const text = '<t>å 😀</t>';
    for (const littleEndian of [true, false]) {
      const bytes = utf16(text, littleEndian);
      for (let cut = 0; cut <= bytes.length; cut++) expect(decodeInTwo(bytes, cut), `cut at ${cut}`).toBe(text);
    }
  });

  it('replaces invalid UTF-8 as a whole decode does', () => {
    const bytes = new Uint8Array([0x3c, 0x74, 0xf0, 0x9f, 0x3e, 0xc3, 0x3c, 0xff, 0xe2, 0x82]);
    const whole = new TextDecoder().decode(bytes);
    for (let cut = 0; cut <= bytes.length; cut++) expect(decodeInTwo(bytes, cut), `cut at ${cut}`).toBe(whole);
  });

  it('decodes a part of one byte', () => {
    expect(decodeInTwo(new Uint8Array([0x61]), 1)).toBe('a');
    expect(decodeInTwo(new Uint8Array([0xff]), 0)).toBe('\uFFFD');
  });
});

describe('locateZipEntry', () => {
  it('finds the data that unzipSync unpacks', () => {
    const { archive, entry } = zipEntry('<a/>', 0);
    expect(entry.compression).toBe(0);
    expect(entry.originalSize).toBe(4);
    expect(new TextDecoder().decode(archive.subarray(entry.dataStart, entry.dataStart + entry.compressedSize))).toBe('<a/>');
    expect(locateZipEntry(archive, 2)).toBeNull();
  });
});

describe('streamEntryText', () => {
  it('passes the text that unzipSync unpacks, in several pieces', () => {
    const { archive, entry } = zipEntry(LARGE_TEXT);
    expect(entry.compression).toBe(8);
    const pieces: string[] = [];
    expect(streamEntryText(archive, entry, (piece) => pieces.push(piece))).toBeUndefined();
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(new TextDecoder().decode(unzipSync(archive)['xl/sheet.xml']));
  });

  it('passes a stored entry in pieces', () => {
    const { archive, entry } = zipEntry(LARGE_TEXT, 0);
    expect(streamToText(archive, entry)).toBe(LARGE_TEXT);
  });

  it('gives up on DEFLATE data cut short', () => {
    const { archive, entry } = zipEntry(LARGE_TEXT);
    expect(streamToText(archive, { ...entry, compressedSize: Math.floor(entry.compressedSize / 2) })).toBe(NOT_STREAMED);
  });

  it('gives up on more bytes than the original size', () => {
    const { archive, entry } = zipEntry(LARGE_TEXT);
    expect(streamToText(archive, { ...entry, originalSize: 1000 })).toBe(NOT_STREAMED);
  });

  it('gives up on an entry that unzipSync would not inflate', () => {
    const { archive, entry } = zipEntry(LARGE_TEXT);
    expect(streamToText(archive, { ...entry, compression: 12 })).toBe(NOT_STREAMED);
    expect(streamToText(archive, { ...entry, compressedSize: 0 })).toBe(NOT_STREAMED);
    expect(streamToText(archive, { ...entry, compressedSize: archive.length })).toBe(NOT_STREAMED);
  });

  it('throws the consumer error once the rest unpacks', () => {
    const { archive, entry } = zipEntry(LARGE_TEXT);
    let calls = 0;
    const consume = () => {
      calls += 1;
      throw new Error('bad markup');
    };
    expect(() => streamEntryText(archive, entry, consume)).toThrow('bad markup');
    expect(calls).toBe(1);
  });

  it('gives up when the rest after a consumer error does not unpack', () => {
    const { archive, entry } = zipEntry(LARGE_TEXT);
    const damaged = archive.slice();
    // Bytes past the first step that are not valid DEFLATE: a block type of 3 is invalid.
    damaged.fill(0xff, entry.dataStart + entry.compressedSize - 64, entry.dataStart + entry.compressedSize);
    const consume = () => {
      throw new Error('bad markup');
    };
    expect(streamEntryText(damaged, entry, consume)).toBe(NOT_STREAMED);
  });
});
