import { describe, expect, it } from 'vitest';
import { formatReprocessSummary } from './format.ts';
import type { ReprocessSummary } from './reprocess.ts';

describe('formatReprocessSummary', () => {
  it('lists 150,000 new candidates', () => {
    const newCandidates = Array.from({ length: 150_000 }, (_, index) => ({
      requirementId: `K-${index + 1}`,
      title: 'Uppgiften saknas',
      deviationId: `deviation-${index + 1}`,
      existingDeviation: false,
    }));
    const summary: ReprocessSummary = {
      total: 1,
      done: 1,
      changed: 1,
      unchanged: 0,
      failed: 0,
      newlyFailed: 0,
      failedBefore: 0,
      dryRun: true,
      interrupted: false,
      declarations: [
        {
          declarationId: 'declaration-1',
          fileName: 'stor.xlsx',
          status: 'changed',
          changed: true,
          rowsReplaced: true,
          coverChanged: false,
          declarationChanged: true,
          changes: { newCandidates, changedCandidates: [], vanishedCandidates: [], changedProposals: [], keptProposals: [], suggestions: [] },
        },
      ],
    };

    const lines = formatReprocessSummary(summary).split('\n');
    expect(lines.filter((line) => line.startsWith('  new candidate '))).toHaveLength(150_000);
    expect(lines).toContain('  new candidate K-150000 [deviation-150000]: new deviation');
  });
});
