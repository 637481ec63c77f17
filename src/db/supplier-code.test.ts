import { describe, expect, it } from 'vitest';
import { emptyCover } from '../ingest/model.ts';
import { supplierCodeFor } from './store-declaration.ts';

const cover = (supplier: string | null, organisationNumber: string | null = null) => ({ ...emptyCover(), supplier, organisationNumber });

describe('supplierCodeFor', () => {
  it('prefers the organisation number', () => {
    expect(supplierCodeFor(cover('Acme AB', '556677-8899'))).toBe('ORG-5566778899');
  });

  it('spells a Latin name in capitals', () => {
    expect(supplierCodeFor(cover('Åkes Data AB'))).toBe('SUP-AKES-DATA-AB');
    expect(supplierCodeFor(cover('Kommun-Data AB'))).toBe(supplierCodeFor(cover('Kommun Data AB')));
  });

  it('gives a stable code to a name without Latin letters', () => {
    const code = supplierCodeFor(cover('Системы АБ'));
    expect(code).toMatch(/^SUP-U-[0-9A-F]{12}$/);
    expect(supplierCodeFor(cover('системы  аб'))).toBe(code);
    expect(supplierCodeFor(cover('Программы АБ'))).not.toBe(code);
  });

  it('gives no code without a supplier', () => {
    expect(supplierCodeFor(cover(null))).toBeNull();
    expect(supplierCodeFor(cover('—'))).toBeNull();
  });
});
