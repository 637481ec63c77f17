/**
 * The filter parameters of GET /api/deviations that exports take too. Exports build their rows'
 * condition with deviationWhere, as the list does, so that an export with the same query
 * parameters contains the same deviations as the list.
 */
import type { DeviationFilterQuery } from '../api/deviation-reads.ts';
import { deviationListQuerySchema } from '../api/schemas.ts';

/** The filter parameters of the deviation list; paging and sorting do not apply to an export. */
export const FILTER_KEYS = ['status', 'area', 'party', 'declaration', 'system', 'municipality', 'overdue', 'q'] as const satisfies readonly (keyof DeviationFilterQuery)[];
export type FilterKey = (typeof FILTER_KEYS)[number];
export type { DeviationFilterQuery };

/**
 * The list's schema of the filter parameters. The API export and `avvik export` both validate
 * with it, so they accept, trim and reject the same values.
 */
export const filterQuerySchema = deviationListQuerySchema.pick(Object.fromEntries(FILTER_KEYS.map((key) => [key, true])) as Record<FilterKey, true>);
