/**
 * The filters of GET /api/deviations, as a Prisma condition for exports, so that an export with
 * the same query parameters contains the same deviations as the list.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import { containsIgnoringCase, equalsIgnoringCase } from '../api/text-match.ts';
import type { DeviationListQuery } from '../api/schemas.ts';
import { toDbArea } from '../db/enums.ts';
import { fromCalendarDate } from '../workflow/dates.ts';
import { DONE_STATUSES, toDbStatus } from '../workflow/state-machine.ts';

/** The filter parameters of the deviation list; paging and sorting do not apply to an export. */
export const FILTER_KEYS = ['status', 'area', 'party', 'declaration', 'system', 'municipality', 'overdue', 'q'] as const;
export type DeviationFilterQuery = Pick<DeviationListQuery, (typeof FILTER_KEYS)[number]>;

// NOTE: this repeats the private filterConditions of src/api/deviation-reads.ts. The export tests
// compare export and list results under every filter, so a change to one that misses the other fails them.
/** Builds the conditions of the query's filters; `today` is the Swedish date, YYYY-MM-DD. */
export function deviationFilterConditions(query: DeviationFilterQuery, today: string): Prisma.DeviationWhereInput[] {
  const conditions: Prisma.DeviationWhereInput[] = [];
  if (query.status) conditions.push({ status: { in: query.status.map(toDbStatus) } });
  if (query.area) {
    const area = toDbArea(query.area);
    conditions.push({ OR: [{ ownerArea: area }, { ownerArea: null, proposedArea: area }] });
  }
  if (query.party) {
    conditions.push({ OR: [{ ownerPartyCode: query.party }, { ownerPartyCode: null, proposedPartyCode: query.party }] });
  }
  if (query.declaration) conditions.push({ declarationId: query.declaration });
  if (query.system) conditions.push({ businessSystemId: query.system });
  if (query.municipality) conditions.push({ municipality: equalsIgnoringCase(query.municipality) });
  if (query.overdue !== undefined) {
    const startOfToday = fromCalendarDate(today)!;
    const done = DONE_STATUSES.map(toDbStatus);
    // Written out rather than as NOT(overdue), because NOT of a comparison with a null due date is null in SQL.
    conditions.push(
      query.overdue
        ? { dueDate: { lt: startOfToday }, status: { notIn: done } }
        : { OR: [{ dueDate: null }, { dueDate: { gte: startOfToday } }, { status: { in: done } }] },
    );
  }
  if (query.q) {
    const contains = containsIgnoringCase(query.q);
    conditions.push({ OR: [{ title: contains }, { reproduction: contains }, { requirementId: contains }] });
  }
  return conditions;
}
