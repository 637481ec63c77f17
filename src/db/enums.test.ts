import { describe, expect, it } from 'vitest';
import { eventValueInApiSpelling } from './enums.ts';

describe('eventValueInApiSpelling', () => {
  it('rewrites enum values at any depth', () => {
    const stored = { status: 'rejected_not_deviation', proposal: { area: 'business_system', partyKind: 'data_provider' }, answer: 'partially_met' };
    expect(eventValueInApiSpelling(stored)).toEqual({
      status: 'rejected-not-deviation',
      proposal: { area: 'business-system', partyKind: 'data-provider' },
      answer: 'partially-met',
    });
  });

  it('keeps other keys and unknown values', () => {
    const stored = { ruleIds: ['area_hint_x'], area: 'some_area', title: 'not_met', declarationId: null, confidence: 0.5 };
    expect(eventValueInApiSpelling(stored)).toEqual(stored);
  });

  it('keeps values that are not objects', () => {
    expect(eventValueInApiSpelling(null)).toBeNull();
    expect(eventValueInApiSpelling('business_system')).toBe('business_system');
    expect(eventValueInApiSpelling([{ area: 'base_service' }])).toEqual([{ area: 'base-service' }]);
  });
});
