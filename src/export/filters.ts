/**
 * The filter parameters of GET /api/deviations that exports take too. Exports build their rows'
 * condition with deviationWhere, as the list does, so that an export with the same query
 * parameters contains the same deviations as the list.
 */
import type { DeviationFilterQuery } from '../api/deviation-reads.ts';

/** The filter parameters of the deviation list; paging and sorting do not apply to an export. */
export const FILTER_KEYS = ['status', 'area', 'party', 'declaration', 'system', 'municipality', 'overdue', 'q'] as const satisfies readonly (keyof DeviationFilterQuery)[];
export type { DeviationFilterQuery };
