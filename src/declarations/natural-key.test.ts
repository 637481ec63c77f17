import { describe, expect, it } from 'vitest';
import { MAX_NATURAL_KEY_BYTES, naturalKeyFor, normaliseRequirementId } from './natural-key.ts';

const parts = { supplierCode: 'ORG-5560000001', businessSystemId: '0b5f8a56-3c2e-4d5b-9f57-0c1a2b3c4d5e', municipality: ' Norrby  kommun ' };

describe('naturalKeyFor', () => {
  it('normalises case, spaces and format characters', () => {
    expect(normaliseRequirementId(' k-1 ')).toBe('K-1');
    expect(normaliseRequirementId('U-2\u200f')).toBe('U-2');
    expect(naturalKeyFor({ ...parts, requirementId: 'u-2\u200e' })).toBe(naturalKeyFor({ ...parts, requirementId: 'U-2' }));
    expect(naturalKeyFor({ ...parts, requirementId: 'K-1' })).toBe(JSON.stringify([parts.supplierCode, parts.businessSystemId, 'norrby kommun', 'K-1']));
  });

  it('gives no key without its parts', () => {
    expect(naturalKeyFor({ ...parts, requirementId: '  ' })).toBeNull();
    expect(naturalKeyFor({ ...parts, supplierCode: null, requirementId: 'K-1' })).toBeNull();
    expect(naturalKeyFor({ ...parts, businessSystemId: null, requirementId: 'K-1' })).toBeNull();
  });

  it('gives no key beyond the length limit', () => {
    const fixedPart = Buffer.byteLength(naturalKeyFor({ ...parts, requirementId: 'X' })!) - 1;
    const longest = 'X'.repeat(MAX_NATURAL_KEY_BYTES - fixedPart);
    expect(naturalKeyFor({ ...parts, requirementId: longest })).not.toBeNull();
    expect(naturalKeyFor({ ...parts, requirementId: `${longest}X` })).toBeNull();
    expect(naturalKeyFor({ ...parts, requirementId: 'Å'.repeat(600) })).toBeNull();
  });
});
