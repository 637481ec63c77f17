import { describe, expect, it } from 'vitest';
import { looksLikeId } from './content-columns.ts';

describe('looksLikeId', () => {
  it.each(['12', '3.1.2', 'K4', 'Krav 7', 'A&A-01.1', 'COMP-01', 'SSBTEK-FK-001', 'M01', '1a'])('accepts %j', (text) => {
    expect(looksLikeId(text)).toBe(true);
  });

  it.each(['Producten', '2. Bastjänster', 'Loggning av uppslag', '', 'End of Standard'])('rejects %j', (text) => {
    expect(looksLikeId(text)).toBe(false);
  });
});
