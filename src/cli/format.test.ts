import { describe, expect, it } from 'vitest';
import type { DeclarationResult } from '../declarations/result.ts';
import { formatDeclarationResult } from './format.ts';

function resultWithIds(ids: string[]): DeclarationResult {
  return {
    file: 'udda.xlsx',
    declarationId: '00000000-0000-4000-8000-000000000001',
    status: 'parsed',
    cover: null,
    requirements: null,
    warnings: [],
    deviations: ids.map((requirementId, index) => ({
      id: `00000000-0000-4000-8000-00000000010${index}`,
      requirementId,
      title: 'Uppgiften saknas',
      answer: 'not-met',
      status: 'new',
      proposal: { area: 'business-system', partyKind: 'supplier', partyCode: 'ORG-5560000001', ruleIds: [], confidence: 1, newRequirement: false },
      missingFields: [],
      source: { sheet: 'Krav', row: index + 2 },
    })),
  };
}

describe('formatDeclarationResult', () => {
  it('keeps each deviation on one line', () => {
    const text = formatDeclarationResult(resultWithIds(['K-1\nandra raden', 'K-2\u2028rad', 'K-3\u0085rad']));
    const rows = text.split('\n').filter((line) => line.startsWith('  K-'));
    expect(rows.map((row) => row.slice(2, 17))).toEqual(['K-1 andra raden', 'K-2 rad        ', 'K-3 rad        ']);
  });

  it('cuts long ids between characters', () => {
    const text = formatDeclarationResult(resultWithIds(['😀'.repeat(30)]));
    const row = text.split('\n').find((line) => line.startsWith('  😀'))!;
    expect(row).toContain(`${'😀'.repeat(23)}…`);
    expect(row).not.toContain('\uFFFD');
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(row)).toBe(false);
  });

  it('formats 150,000 deviations', () => {
    const ids = Array.from({ length: 150_000 }, (_, index) => `K-${index + 1}`);
    const rows = formatDeclarationResult(resultWithIds(ids)).split('\n').filter((line) => line.startsWith('  K-'));
    expect(rows).toHaveLength(150_000);
    expect(rows.at(-1)!.startsWith('  K-150000 ')).toBe(true);
  });
});
