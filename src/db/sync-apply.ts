/** Writes a deviation plan (sync-plan.ts) inside the caller's transaction. */
import type { Prisma } from '../generated/prisma/client.ts';
import { appendEvents } from '../workflow/events.ts';
import type { SyncPlan } from './sync-plan.ts';

/** Creates deviations and occurrences, then applies the updates and appends the history events. */
export async function applyPlan(tx: Prisma.TransactionClient, plan: SyncPlan): Promise<void> {
  for (const batch of chunk(plan.creates, 1_000)) await tx.deviation.createMany({ data: batch });
  for (const batch of chunk(plan.occurrenceCreates, 1_000)) await tx.deviationOccurrence.createMany({ data: batch });
  for (const update of plan.occurrenceUpdates) await tx.deviationOccurrence.update({ where: { id: update.id }, data: update.data });
  for (const [id, data] of plan.deviationUpdates) await tx.deviation.update({ where: { id }, data });
  await appendEvents(tx, plan.events);
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
