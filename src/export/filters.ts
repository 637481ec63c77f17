/**
 * The filters of GET /api/deviations, as a Prisma condition for exports, so that an export with
 * the same query parameters contains the same deviations as the list.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import { filterConditions, type DeviationFilterQuery } from '../api/deviation-reads.ts';

/** The filter parameters of the deviation list; paging and sorting do not apply to an export. */
export const FILTER_KEYS = ['status', 'area', 'party', 'declaration', 'system', 'municipality', 'overdue', 'q'] as const satisfies readonly (keyof DeviationFilterQuery)[];
export type { DeviationFilterQuery };

/** Builds the conditions of the query's filters, exactly as the deviation list does. */
export function deviationFilterConditions(query: DeviationFilterQuery, today: string): Prisma.DeviationWhereInput[] {
  return filterConditions(query, today);
}
