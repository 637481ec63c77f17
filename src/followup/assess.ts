/**
 * Decides whether one deviation is overdue, from its status, owner, due date and the times it
 * entered its status and got its owner. Pure, so the rules can be tested without a database.
 */
import type { PartyKind } from '../rules/model.ts';
import type { DeviationStatus } from '../workflow/state-machine.ts';
import { addWorkingDays, formatCalendarDate, parseCalendarDate, swedishDateOf, workingDaysBetween } from './calendar.ts';
import { limitFor, type FollowupSettings } from './settings.ts';
import { WAITING_RULES } from './waiting.ts';

export interface FollowupFacts {
  status: DeviationStatus;
  /** YYYY-MM-DD, or null. */
  dueDate: string | null;
  /** The owner a person confirmed or assigned, or null. */
  owner: { kind: PartyKind; code: string } | null;
  /** When the deviation entered its current status: the last status change, or its creation. */
  statusEnteredAt: Date;
  /** When the current owner was set, or null. */
  ownerSetAt: Date | null;
}

export interface OverdueAssessment {
  waitingOn: { kind: PartyKind; code: string };
  /** `time-limit`: more working days used than the limit allows; `due-date`: a will-fix due date has passed. */
  reason: 'time-limit' | 'due-date';
  /** The Swedish date the clock started: the status change, or the owner change when that came later. */
  since: string;
  limitWorkingDays: number | null;
  /** The last day within the limit, or the due date. */
  deadline: string;
  /** Working days since `since`, not counting that day; null for a due date. */
  workingDaysUsed: number | null;
  /** Working days after the deadline up to and including today. */
  workingDaysOver: number;
}

/**
 * Returns how a deviation is overdue on `today` (a Swedish calendar date as midnight UTC), or null
 * when it is not. `administrationCode` is the party code reported when the administration is waited on.
 */
export function assessDeviation(
  facts: FollowupFacts,
  settings: FollowupSettings,
  today: Date,
  administrationCode: string,
): OverdueAssessment | null {
  const rule = WAITING_RULES[facts.status];
  const administration = { kind: 'administration' as const, code: administrationCode };
  const waitingOn = rule === 'administration' || !facts.owner ? administration : facts.owner;

  if (rule === 'paused') return null;
  if (rule === 'due-date') {
    if (!facts.dueDate) return null;
    const due = parseCalendarDate(facts.dueDate);
    // A due date passes at the end of its day, so the deviation is overdue from the next day.
    if (today <= due) return null;
    return {
      waitingOn,
      reason: 'due-date',
      since: formatCalendarDate(swedishDateOf(facts.statusEnteredAt)),
      limitWorkingDays: null,
      deadline: facts.dueDate,
      workingDaysUsed: null,
      workingDaysOver: workingDaysBetween(due, today),
    };
  }

  const limit = limitFor(settings, facts.status, waitingOn.kind);
  if (limit === null) return null;
  // The owner cannot be late for the time before it became the owner.
  const startedAt = rule === 'owner' && facts.owner && facts.ownerSetAt && facts.ownerSetAt > facts.statusEnteredAt
    ? facts.ownerSetAt
    : facts.statusEnteredAt;
  const start = swedishDateOf(startedAt);
  const used = workingDaysBetween(start, today);
  if (used <= limit) return null;
  return {
    waitingOn,
    reason: 'time-limit',
    since: formatCalendarDate(start),
    limitWorkingDays: limit,
    deadline: formatCalendarDate(addWorkingDays(start, limit)),
    workingDaysUsed: used,
    workingDaysOver: used - limit,
  };
}
