/** Applies the updates of a deviation plan (sync-plan.ts) inside the caller's transaction. */
import type { SqlSession } from './sql.ts';
import type { SyncPlan } from './sync-plan.ts';

/**
 * Updates occurrences, then deviations. Updates that set the same columns share one statement,
 * whose records go as one JSON array that PostgreSQL converts to the table's row type, so that
 * every column gets its own type (enums, arrays, jsonb, timestamps in UTC). A deviation's
 * `updatedAt` is set to the statement's time.
 */
export async function applyUpdates(session: SqlSession, plan: SyncPlan): Promise<void> {
  const occurrences = plan.occurrenceUpdates.map(({ id, data }) => ({ ...data, id }));
  for (const group of byColumns(occurrences)) await session.query(updateStatement('DeviationOccurrence', group.columns, false), [JSON.stringify(group.records)]);
  const deviations = [...plan.deviationUpdates].map(([id, data]) => ({ ...data, id }));
  for (const group of byColumns(deviations)) await session.query(updateStatement('Deviation', group.columns, true), [JSON.stringify(group.records)]);
}

type UpdateRecord = { id: string } & Record<string, unknown>;

/** Groups records by the columns they set, in the order the groups first appear. */
function byColumns(records: readonly UpdateRecord[]): { columns: string[]; records: UpdateRecord[] }[] {
  const groups = new Map<string, { columns: string[]; records: UpdateRecord[] }>();
  for (const record of records) {
    const columns = Object.keys(record)
      .filter((column) => column !== 'id' && record[column] !== undefined)
      .sort();
    if (columns.length === 0) continue;
    const key = columns.join(',');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { columns, records: [] }));
    group.records.push(record);
  }
  return [...groups.values()];
}

const COLUMN_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

function updateStatement(table: 'Deviation' | 'DeviationOccurrence', columns: readonly string[], stampUpdatedAt: boolean): string {
  const assignments = columns.map((column) => {
    // The names come from the plan's own code; the check keeps anything else out of the SQL text.
    if (!COLUMN_NAME.test(column)) throw new Error(`Not a column name: ${JSON.stringify(column)}.`);
    return `"${column}" = r."${column}"`;
  });
  if (stampUpdatedAt) assignments.push(`"updatedAt" = now() AT TIME ZONE 'UTC'`);
  return `UPDATE "${table}" AS t SET ${assignments.join(', ')} FROM json_populate_recordset(NULL::"${table}", $1::json) AS r WHERE t.id = r.id`;
}
