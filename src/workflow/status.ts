import { Prisma, type Deviation, type PrismaClient } from '../generated/prisma/client.ts';
import type { Actor } from './actor.ts';
import { fromCalendarDate, toCalendarDate, todayInSweden } from './dates.ts';
import { appendEvent } from './events.ts';
import { changedMeanwhile, requireAdministration } from './ownership.ts';
import { markSetByPerson } from './provenance.ts';
import { checkTransition, fromDbStatus, isReopening, toDbStatus, type TransitionRequest } from './state-machine.ts';

/**
 * Moves a deviation to another status after the state machine allows it, and records who, when,
 * from what, to what and why. Only the administration decides. A status decision also settles
 * the suggestion a declaration left open, if any, with a `suggestion-settled` event.
 */
export async function changeStatus(
  prisma: PrismaClient,
  actor: Actor,
  deviation: Pick<Deviation, 'id' | 'status' | 'dueDate'>,
  request: TransitionRequest,
  now: Date = new Date(),
): Promise<void> {
  requireAdministration(actor, 'change the status of a deviation');
  const from = fromDbStatus(deviation.status);
  const currentDueDate = toCalendarDate(deviation.dueDate);
  const dueDate = checkTransition(from, request, currentDueDate, todayInSweden(now));

  await prisma.$transaction(async (tx) => {
    const updated = await tx.deviation.updateMany({
      where: { id: deviation.id, status: deviation.status },
      data: { status: toDbStatus(request.status), dueDate: fromCalendarDate(dueDate) },
    });
    if (updated.count !== 1) throw changedMeanwhile();
    await markSetByPerson(tx, deviation.id, ['status', 'dueDate']);
    await settleSuggestion(tx, actor.userId, deviation.id, request.status);
    await appendEvent(tx, {
      deviationId: deviation.id,
      actor: actor.userId,
      type: isReopening(from, request.status) ? 'reopened' : 'status-changed',
      fromValue: { status: from, dueDate: currentDueDate },
      toValue: { status: request.status, dueDate },
      reason: request.reason,
    });
  });
}

async function settleSuggestion(tx: Prisma.TransactionClient, actorId: string, deviationId: string, status: string): Promise<void> {
  const { pendingSuggestion } = await tx.deviation.findUniqueOrThrow({ where: { id: deviationId }, select: { pendingSuggestion: true } });
  if (pendingSuggestion === null) return;
  await tx.deviation.update({ where: { id: deviationId }, data: { pendingSuggestion: Prisma.DbNull } });
  await appendEvent(tx, {
    deviationId,
    actor: actorId,
    type: 'suggestion-settled',
    fromValue: pendingSuggestion as Prisma.InputJsonValue,
    toValue: { status },
    reason: null,
  });
}
