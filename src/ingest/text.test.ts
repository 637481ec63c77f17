import { describe, expect, it } from 'vitest';
import { sameName } from './text.ts';

describe('sameName', () => {
  it('ignores case, space and composition', () => {
    expect(sameName(' Norrbistånd ', 'NORRBISTA\u030AND')).toBe(true);
  });

  it('tells different names apart', () => {
    expect(sameName('Norrbistånd', 'Norrbistand')).toBe(false);
  });
});
