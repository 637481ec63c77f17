import { describe, expect, it } from 'vitest';
import { appendAll, maxOf, minOf } from './arrays.ts';

describe('minOf and maxOf', () => {
  it('match Math.min and Math.max', () => {
    for (const values of [[], [3], [2, -1, 7], [1, Number.NaN, 2]]) {
      expect(minOf(values), JSON.stringify(values)).toBe(Math.min(...values));
      expect(maxOf(values), JSON.stringify(values)).toBe(Math.max(...values));
    }
  });

  it('take 500,000 values', () => {
    const values = Array.from({ length: 500_000 }, (_, index) => index - 1_000);
    expect(minOf(values)).toBe(-1_000);
    expect(maxOf(values)).toBe(498_999);
  });
});

describe('appendAll', () => {
  it('appends 500,000 items', () => {
    const target = ['first'];
    appendAll(target, Array.from({ length: 500_000 }, () => 'item'));
    expect(target).toHaveLength(500_001);
    expect(target[0]).toBe('first');
  });
});
