import { describe, expect, it } from 'vitest';

import { countShownTextBytes } from './pdf-shown-text.ts';

const count = (content: string) => countShownTextBytes(Buffer.from(content, 'latin1'));

describe('countShownTextBytes', () => {
  it.each([
    ['BT /F1 10 Tf 40 800 Td (Krav 1) Tj ET', 6],
    ['BT [(Kr) -120 (av)] TJ ET', 4],
    ["BT (one) ' 1 2 (two) \" ET", 6],
    ['BT <4B7261> Tj <4B7> Tj ET', 5],
    ['BT (a\\(b\\)c \\101\\n) Tj ET', 8],
    ['BT (nested (paren) text) Tj ET', 19],
    ['BT (split \\\nline) Tj ET', 10],
  ])('counts %j', (content, expected) => {
    expect(count(content)).toBe(expected);
  });

  it.each([
    ['/P << /ActualText (hidden) >> BDC (shown) Tj EMC', 5],
    ['% (comment) Tj\n(x) Tj', 1],
    ['BI /W 2 /H 1 /BPC 8 /CS /G ID (() Tj\x01 EI (y) Tj', 1],
    ['(set aside) 1 0 0 1 0 0 cm', 0],
  ])('skips strings outside text-showing operators in %j', (content, expected) => {
    expect(count(content)).toBe(expected);
  });
});
