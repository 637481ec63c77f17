/**
 * The life cycle of a deviation. Every status change in Avvik goes through checkTransition,
 * so this table is the only place that defines which changes are allowed.
 */
import type { DeviationStatus as DbDeviationStatus } from '../generated/prisma/client.ts';
import { WorkflowError } from './errors.ts';

export const DEVIATION_STATUSES = [
  'new',
  'in-dialogue',
  'will-fix',
  'wont-fix',
  'postponed',
  'rejected-not-deviation',
  'rejected-duplicate',
  'fixed',
  'closed',
] as const;
export type DeviationStatus = (typeof DEVIATION_STATUSES)[number];

/**
 * Allowed next statuses. A deviation starts as new, is discussed with the party (in-dialogue),
 * and gets a decision. An obvious duplicate or non-deviation may be rejected while still new.
 * Moving back to in-dialogue from a decision, fixed or closed reopens the deviation.
 */
const TRANSITIONS: Record<DeviationStatus, readonly DeviationStatus[]> = {
  new: ['in-dialogue', 'rejected-not-deviation', 'rejected-duplicate'],
  'in-dialogue': ['will-fix', 'wont-fix', 'postponed', 'rejected-not-deviation', 'rejected-duplicate'],
  'will-fix': ['fixed', 'postponed', 'in-dialogue'],
  postponed: ['will-fix', 'in-dialogue'],
  'wont-fix': ['closed', 'in-dialogue'],
  'rejected-not-deviation': ['closed', 'in-dialogue'],
  'rejected-duplicate': ['closed', 'in-dialogue'],
  fixed: ['closed', 'in-dialogue'],
  closed: ['in-dialogue'],
};

/** Statuses in which a deviation no longer needs work, so a passed due date does not make it overdue. */
export const DONE_STATUSES: readonly DeviationStatus[] = ['fixed', 'closed'];

export const toDbStatus = (status: DeviationStatus) => status.replace(/-/g, '_') as DbDeviationStatus;
export const fromDbStatus = (status: DbDeviationStatus) => status.replace(/_/g, '-') as DeviationStatus;

export function allowedTransitions(from: DeviationStatus): readonly DeviationStatus[] {
  return TRANSITIONS[from];
}

/** Tells whether moving from `from` to `to` reopens a deviation that had a decision or was finished. */
export function isReopening(from: DeviationStatus, to: DeviationStatus): boolean {
  return to === 'in-dialogue' && from !== 'new' && from !== 'in-dialogue' && from !== 'postponed';
}

export interface TransitionRequest {
  status: DeviationStatus;
  reason: string;
  /** Calendar date, YYYY-MM-DD; required for will-fix and rejected for every other status. */
  dueDate?: string | null;
}

/**
 * Checks a status change and returns the due date the deviation gets: the requested date for
 * will-fix, the current one for fixed (kept as a record of the promise), null otherwise.
 * `today` is the current calendar date in YYYY-MM-DD. Throws WorkflowError: conflict for a
 * change the table does not allow, naming the allowed ones, invalid for a bad due date.
 */
export function checkTransition(
  from: DeviationStatus,
  request: TransitionRequest,
  currentDueDate: string | null,
  today: string,
): string | null {
  const allowed = allowedTransitions(from);
  if (!allowed.includes(request.status)) {
    throw new WorkflowError(
      'conflict',
      'invalid-transition',
      `A deviation with status ${from} cannot move to ${request.status}. Allowed from ${from}: ${allowed.join(', ')}.`,
      { from, to: request.status, allowed: [...allowed] },
    );
  }

  if (request.status === 'will-fix') {
    if (!request.dueDate) {
      throw new WorkflowError('invalid', 'due-date-required', 'A decision to fix (will-fix) needs a dueDate (YYYY-MM-DD) by which the fix is promised.', {
        fields: [{ field: 'dueDate', message: 'is required for will-fix' }],
      });
    }
    if (request.dueDate < today) {
      throw new WorkflowError('invalid', 'due-date-in-past', `The dueDate ${request.dueDate} has passed; give today (${today}) or a later date.`, {
        fields: [{ field: 'dueDate', message: `must be ${today} or later` }],
      });
    }
    return request.dueDate;
  }

  if (request.dueDate) {
    throw new WorkflowError('invalid', 'due-date-not-allowed', `A dueDate belongs to will-fix only; remove it to move to ${request.status}.`, {
      fields: [{ field: 'dueDate', message: 'is allowed only with status will-fix' }],
    });
  }
  return request.status === 'fixed' ? currentDueDate : null;
}
