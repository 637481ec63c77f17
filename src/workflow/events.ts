import type { Prisma } from '../generated/prisma/client.ts';

/** The history event types that Avvik writes. `created` by the pipeline, the others through the API. */
export type DeviationEventType =
  | 'created'
  | 'owner-confirmed'
  | 'owner-assigned'
  | 'status-changed'
  | 'reopened'
  | 'comment-added'
  | 'attachment-added';

export interface NewDeviationEvent {
  deviationId: string;
  /** The acting user's id. */
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
