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
});

describe('splitAttachmentCell', () => {
  it('splits lines and semicolons', () => {
    expect(splitAttachmentCell('Bilaga 1; rapport.pdf\nlogg.txt ')).toEqual(['Bilaga 1', 'rapport.pdf', 'logg.txt']);
  });
});
