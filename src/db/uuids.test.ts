import { describe, expect, it } from 'vitest';
import { randomUuid, randomUuids } from './uuids.ts';

const VERSION_4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomUuids', () => {
  it('gives version 4 ids', () => {
    const ids = randomUuids(1_000);
    expect(ids).toHaveLength(1_000);
    for (const id of ids) expect(id).toMatch(VERSION_4);
  });

  it('gives distinct ids', () => {
    expect(new Set(randomUuids(10_000)).size).toBe(10_000);
    expect(randomUuid()).not.toBe(randomUuid());
  });

  it('gives distinct ids one at a time', () => {
    const ids = Array.from({ length: 600 }, randomUuid);
    expect(new Set(ids).size).toBe(600);
    for (const id of ids) expect(id).toMatch(VERSION_4);
  });

  it('gives none for zero', () => {
    expect(randomUuids(0)).toEqual([]);
  });
});
