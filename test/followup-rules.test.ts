// The follow-up rules without a database: who is waited on, working days across Swedish
// holidays, paused statuses, due dates, owner changes, and validation of the configuration file.
import { describe, expect, it } from 'vitest';
import { assessDeviation, type FollowupFacts } from '../src/followup/assess.ts';
import { parseCalendarDate } from '../src/followup/calendar.ts';
import { loadFollowupSettings, parseFollowupSettings, type FollowupSettings } from '../src/followup/settings.ts';
import { ConfigFileError } from '../src/rules/config-file.ts';

const SETTINGS: FollowupSettings = {
  limits: {
    new: { administration: 5 },
    'in-dialogue': { administration: 5, supplier: 20, 'data-provider': 20, operations: 10 },
    fixed: { administration: 10 },
  },
};
/** Friday 8 January 2027, after Christmas Eve, Christmas Day, New Year's Eve, New Year's Day and Epiphany. */
const TODAY = parseCalendarDate('2027-01-08');
const at = (iso: string) => new Date(iso);
const facts = (overrides: Partial<FollowupFacts>): FollowupFacts => ({
  status: 'new',
  dueDate: null,
  owner: null,
  statusEnteredAt: at('2026-12-22T10:00:00Z'),
  ownerSetAt: null,
  ...overrides,
});
const assess = (overrides: Partial<FollowupFacts>) => assessDeviation(facts(overrides), SETTINGS, TODAY, 'SKR');

describe('assessDeviation', () => {
  it('counts working days past Christmas and New Year', () => {
    // Working days after Tuesday 22 December: 23, 28, 29, 30 December and 4, 5, 7, 8 January.
    expect(assess({})).toEqual({
      waitingOn: { kind: 'administration', code: 'SKR' },
      reason: 'time-limit',
      since: '2026-12-22',
      limitWorkingDays: 5,
      deadline: '2027-01-04',
      workingDaysUsed: 8,
      workingDaysOver: 3,
    });
  });

  it('leaves holidays out of the count', () => {
    // Seven weekdays after 30 December, but 31 December, 1 January and 6 January are days off.
    expect(assess({ statusEnteredAt: at('2026-12-30T09:00:00Z') })).toBeNull();
  });

  it('uses the Swedish date of the status change', () => {
    // 23:30 UTC on 22 December is already 23 December in Sweden, which leaves 7 working days.
    expect(assess({ statusEnteredAt: at('2026-12-22T23:30:00Z') })?.workingDaysUsed).toBe(7);
  });

  it('waits on the owner with its party kind limit', () => {
    const result = assess({
      status: 'in-dialogue',
      owner: { kind: 'supplier', code: 'ORG-5560000001' },
      statusEnteredAt: at('2026-12-02T08:00:00Z'),
      ownerSetAt: at('2026-12-01T08:00:00Z'),
    });
    expect(result?.waitingOn).toEqual({ kind: 'supplier', code: 'ORG-5560000001' });
    expect(result?.limitWorkingDays).toBe(20);
    expect(result?.workingDaysUsed).toBe(22);
    expect(result?.workingDaysOver).toBe(2);
    expect(result?.deadline).toBe('2027-01-05');
  });

  it('restarts the clock when the owner changes', () => {
    const result = assess({
      status: 'in-dialogue',
      owner: { kind: 'data-provider', code: 'FK' },
      statusEnteredAt: at('2026-12-02T08:00:00Z'),
      ownerSetAt: at('2026-12-16T08:00:00Z'),
    });
    expect(result).toBeNull();
  });

  it('waits on the administration without an owner', () => {
    const result = assess({ status: 'in-dialogue' });
    expect(result?.waitingOn).toEqual({ kind: 'administration', code: 'SKR' });
    expect(result?.limitWorkingDays).toBe(5);
  });

  it.each(['postponed', 'closed'] as const)('never counts %s', (status) => {
    expect(assess({ status, statusEnteredAt: at('2025-01-01T08:00:00Z'), dueDate: '2025-02-01' })).toBeNull();
  });

  it('flags a will-fix due date that has passed', () => {
    const result = assess({
      status: 'will-fix',
      owner: { kind: 'data-provider', code: 'CSN' },
      dueDate: '2027-01-05',
      statusEnteredAt: at('2026-11-02T08:00:00Z'),
    });
    expect(result).toMatchObject({ reason: 'due-date', deadline: '2027-01-05', workingDaysUsed: null, limitWorkingDays: null, workingDaysOver: 2 });
    expect(result?.waitingOn).toEqual({ kind: 'data-provider', code: 'CSN' });
  });

  it('keeps a will-fix due today on time', () => {
    expect(assess({ status: 'will-fix', owner: { kind: 'supplier', code: 'X' }, dueDate: '2027-01-08', statusEnteredAt: at('2025-01-01T08:00:00Z') })).toBeNull();
  });

  it('ignores the kept due date of a fixed deviation', () => {
    const result = assess({ status: 'fixed', dueDate: '2026-12-10', statusEnteredAt: at('2026-12-15T08:00:00Z') });
    expect(result).toMatchObject({ reason: 'time-limit', waitingOn: { kind: 'administration', code: 'SKR' }, workingDaysUsed: 13, workingDaysOver: 3 });
  });

  it('skips a status without a configured limit', () => {
    expect(assess({ status: 'wont-fix', statusEnteredAt: at('2025-01-01T08:00:00Z') })).toBeNull();
  });
});

describe('follow-up settings', () => {
  it('loads the shipped file', () => {
    const settings = loadFollowupSettings('config/followup.json');
    expect(settings.limits.new?.administration).toBeGreaterThan(0);
  });

  it('lists every problem', () => {
    const attempt = () =>
      parseFollowupSettings(
        {
          limits: {
            new: { supplier: 3, administration: 0 },
            'will-fix': { supplier: 5 },
            postponed: { administration: 5 },
            'in-progress': { administration: 5 },
            'in-dialogue': { operations: 2.5 },
          },
        },
        'followup.json',
      );
    expect(attempt).toThrow(ConfigFileError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toContain("field 'limits.new': supplier cannot be waited on in new");
    expect(message).toContain("field 'limits.new.administration': must be at least 1 working day");
    expect(message).toContain("field 'limits.will-fix': cannot have a limit, because its due date decides");
    expect(message).toContain("field 'limits.postponed': cannot have a limit, because nobody is waited on");
    expect(message).toContain("field 'limits.in-progress': is not a status");
    expect(message).toContain("field 'limits.in-dialogue.operations': must be a whole number of working days");
  });

  it('rejects unknown top-level fields', () => {
    expect(() => parseFollowupSettings({ limits: {}, limit: {} }, 'followup.json')).toThrow(/limit/);
  });
});
