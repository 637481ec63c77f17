import type { Prisma } from '../generated/prisma/client.ts';

/**
 * The history event types that Avvik writes. The pipeline and re-processing write `created`,
 * `occurrence-*`, `suggestion-made`, `suggestion-withdrawn`, `candidate-vanished`,
 * `fields-updated`, `proposal-updated` and `natural-key-set`; the others come through the API.
 */
export type DeviationEventType =
  | 'created'
  | 'owner-confirmed'
  | 'owner-assigned'
  | 'status-changed'
  | 'reopened'
  | 'comment-added'
  | 'attachment-added'
  | 'occurrence-added'
  | 'occurrence-restored'
  | 'candidate-vanished'
  | 'suggestion-made'
  | 'suggestion-withdrawn'
  | 'suggestion-settled'
  | 'fields-updated'
  | 'proposal-updated'
  | 'natural-key-set'
  | 'source-changed';

export interface NewDeviationEvent {
  deviationId: string;
  /** The acting user's id, or 'system' for the pipeline and re-processing. */
  actor: string;
  type: DeviationEventType;
  fromValue: Prisma.InputJsonValue | null;
  toValue: Prisma.InputJsonValue | null;
  reason: string | null;
}

/**
 * Appends one history event inside the caller's transaction. History is insert-only: nothing in
 * Avvik updates or deletes a DeviationEvent, so this is the only way events are written here.
 */
export async function appendEvent(tx: Prisma.TransactionClient, event: NewDeviationEvent): Promise<void> {
  await tx.deviationEvent.create({
    data: {
      deviationId: event.deviationId,
      actor: event.actor,
      type: event.type,
      fromValue: event.fromValue ?? undefined,
      toValue: event.toValue ?? undefined,
      reason: event.reason,
    },
  });
}

/**
 * One fixed INSERT over jsonb_to_recordset per batch: Prisma's createMany builds a new statement
 * with parameters per row, and its client time was most of the cost of storing a declaration.
 */
const INSERT_EVENTS = `
  INSERT INTO "DeviationEvent" ("deviationId", actor, type, "fromValue", "toValue", reason)
  SELECT e."deviationId", e.actor, e.type, e."fromValue", e."toValue", e.reason
  FROM jsonb_to_recordset($1::jsonb) AS e("deviationId" uuid, actor text, type text, "fromValue" jsonb,
    "toValue" jsonb, reason text)`;

/** Appends several history events inside the caller's transaction, in the order given, in batches. */
export async function appendEvents(tx: Prisma.TransactionClient, events: readonly NewDeviationEvent[]): Promise<void> {
  const batchSize = 5_000;
  for (let start = 0; start < events.length; start += batchSize) {
    const batch = events.slice(start, start + batchSize).map((event) => ({
      deviationId: event.deviationId,
      actor: event.actor,
      type: event.type,
      fromValue: event.fromValue ?? null,
      toValue: event.toValue ?? null,
      reason: event.reason ?? null,
    }));
    await tx.$executeRawUnsafe(INSERT_EVENTS, JSON.stringify(batch));
  }
}
