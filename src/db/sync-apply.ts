/** Applies the updates of a deviation plan (sync-plan.ts) inside the caller's transaction. */
import type { Prisma } from '../generated/prisma/client.ts';
import type { SyncPlan } from './sync-plan.ts';

/**
 * Updates occurrences and deviations one by one. Only re-processing and later declarations of the
 * same system update anything, and each update sets its own columns, so these stay Prisma calls.
 * The plan's inserts go with the declaration's other records (write-declaration.ts).
 */
export async function applyUpdates(tx: Prisma.TransactionClient, plan: SyncPlan): Promise<void> {
  for (const update of plan.occurrenceUpdates) await tx.deviationOccurrence.update({ where: { id: update.id }, data: update.data });
  for (const [id, data] of plan.deviationUpdates) await tx.deviation.update({ where: { id }, data });
}
