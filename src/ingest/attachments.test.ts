import { describe, expect, it } from 'vitest';
import { findAttachmentReferences, splitAttachmentCell } from './attachments.ts';

describe('findAttachmentReferences', () => {
  it('finds file names in a comment', () => {
    const comment = 'Se skarmdump.png och logg_2024-03.txt. Detaljer i Bilaga 3.';
    expect(findAttachmentReferences(comment)).toEqual(['skarmdump.png', 'logg_2024-03.txt', 'Bilaga 3']);
  });

  it('finds links without splitting them', () => {
    const comment = 'Status: https://status.example.org/history.html, annars bilaga 2a';
    expect(findAttachmentReferences(comment)).toEqual(['https://status.example.org/history.html', 'bilaga 2a']);
  });

  it('ignores ordinary text', () => {
    expect(findAttachmentReferences('Version 5.2 uppfyller kravet.')).toEqual([]);
    expect(findAttachmentReferences('')).toEqual([]);
  });

  it('lists each reference once', () => {
    expect(findAttachmentReferences('Bilaga 1, se Bilaga 1')).toEqual(['Bilaga 1']);
  });

  it('reads past a word of 5 MiB', () => {
    // Cyrillic letters make a two-byte string. Node.js 20 overflowed on it where a one-byte string of 5 MiB passed.
    const comment = `Loggen: ${'я'.repeat(5 * 1024 * 1024)} se logg.txt och Bilaga 2`;
    expect(findAttachmentReferences(comment)).toEqual(['logg.txt', 'Bilaga 2']);
  });

  it('searches words of up to 2,048 characters', () => {
    const fileName = 'skarmdump.png';
    const longest = `${'x'.repeat(2_048 - fileName.length - 1)},${fileName}`;
    expect(findAttachmentReferences(`Se ${longest} nu`)).toEqual([fileName]);
    expect(findAttachmentReferences(`Se x${longest} nu`)).toEqual([]);
  });
});

describe('splitAttachmentCell', () => {
  it('splits lines and semicolons', () => {
    expect(splitAttachmentCell('Bilaga 1; rapport.pdf\nlogg.txt ')).toEqual(['Bilaga 1', 'rapport.pdf', 'logg.txt']);
  });
});
