/**
 * The waiting rules: the party a deviation waits on in each status, and how its time is measured
 * there. The status decides the rule, and the owner decides the party where the rule names the owner.
 */
import type { PartyKind } from '../rules/model.ts';
import type { DeviationStatus } from '../workflow/state-machine.ts';

/**
 * How each status is followed up:
 * - `administration`: the administration must act (triage a new deviation, close a decided one),
 *   and the time counts in working days against the administration's limit;
 * - `owner`: the owning party must act, and the time counts against the limit of its party kind.
 *   Without an owner the administration must first set one, so the administration's limit applies;
 * - `due-date`: the owner has promised a fix by the due date, so no working days count and the
 *   deviation is overdue once the due date has passed;
 * - `paused`: nobody is waited on, and no time counts.
 */
export type WaitingRule = 'administration' | 'owner' | 'due-date' | 'paused';

export const WAITING_RULES: Record<DeviationStatus, WaitingRule> = {
  new: 'administration',
  'in-dialogue': 'owner',
  'will-fix': 'due-date',
  postponed: 'paused',
  'wont-fix': 'administration',
  'rejected-not-deviation': 'administration',
  'rejected-duplicate': 'administration',
  fixed: 'administration',
  closed: 'paused',
};

/** The statuses whose time counts in working days, and so can have a limit in the configuration file. */
export const TIMED_STATUSES = (Object.keys(WAITING_RULES) as DeviationStatus[]).filter(
  (status) => WAITING_RULES[status] === 'administration' || WAITING_RULES[status] === 'owner',
);

/** Returns the party kinds a timed status can wait on. */
export function partyKindsWaitedOnIn(status: DeviationStatus): readonly PartyKind[] {
  return WAITING_RULES[status] === 'owner' ? ['administration', 'supplier', 'data-provider', 'operations'] : ['administration'];
}
