/**
 * Confirming and assigning the owner of a deviation. The owner decides which data provider or
 * operations party sees the deviation, so only the administration sets it.
 */
import type { Deviation, PrismaClient } from '../generated/prisma/client.ts';
import { fromDbArea, fromDbPartyKind, toDbArea } from '../db/enums.ts';
import { PARTY_KIND_IN_WORDS, type Area, type PartyKind } from '../rules/model.ts';
import { isAdministration, type Actor } from './actor.ts';
import { WorkflowError } from './errors.ts';
import { appendEvent } from './events.ts';
import { markSetByPerson } from './provenance.ts';

/** The areas an owner can have, and the kind of party that owns each. */
export const OWNER_AREAS = ['business-system', 'base-service', 'ssbtek'] as const;
export type OwnerArea = (typeof OWNER_AREAS)[number];

export const PARTY_KIND_OF_AREA: Record<OwnerArea, PartyKind> = {
  'business-system': 'supplier',
  'base-service': 'data-provider',
  ssbtek: 'operations',
};

const DB_PARTY_KIND_OF_AREA = {
  'business-system': 'supplier',
  'base-service': 'data_provider',
  ssbtek: 'operations',
} as const;

type OwnerFields = Pick<Deviation, 'id' | 'ownerArea' | 'ownerPartyCode'>;

export function requireAdministration(actor: Actor, action: string): void {
  if (isAdministration(actor)) return;
  throw new WorkflowError('forbidden', 'administration-only', `Only the administration may ${action}; your role is ${actor.role}.`);
}

/** The reason recorded when the administration confirms a proposal without giving one. */
export const DEFAULT_CONFIRM_REASON = 'Föreslagen ägare bekräftad';

/** Makes the rules' proposal the deviation's owner. Throws WorkflowError when the proposal names no party. */
export async function confirmOwner(
  prisma: PrismaClient,
  actor: Actor,
  deviation: OwnerFields & Pick<Deviation, 'proposedArea' | 'proposedPartyKind' | 'proposedPartyCode'>,
  reason: string | null,
): Promise<void> {
  requireAdministration(actor, 'confirm owners');
  const area = fromDbArea(deviation.proposedArea);
  if (area === 'unassigned' || deviation.proposedPartyCode === null || fromDbPartyKind(deviation.proposedPartyKind) === 'administration') {
    throw new WorkflowError(
      'conflict',
      'no-proposal',
      'The rules proposed no owner for this deviation, so there is nothing to confirm. Assign an owner with POST /api/deviations/{id}/assign.',
    );
  }
  await writeOwner(prisma, actor, deviation, { area, partyCode: deviation.proposedPartyCode }, 'owner-confirmed', reason ?? DEFAULT_CONFIRM_REASON);
}

export interface AssignRequest {
  area: OwnerArea;
  partyCode: string;
  reason: string;
}

/**
 * Sets an owner that the administration chose. The party must exist and be of the area's kind,
 * and a business-system deviation that came from a supplier's declaration can only be owned by
 * that supplier, because otherwise another supplier would see it.
 */
export async function assignOwner(
  prisma: PrismaClient,
  actor: Actor,
  deviation: OwnerFields & Pick<Deviation, 'supplierCode'>,
  request: AssignRequest,
): Promise<void> {
  requireAdministration(actor, 'assign owners');
  const party = await prisma.party.findUnique({ where: { code: request.partyCode }, select: { code: true, kind: true } });
  if (!party) {
    throw new WorkflowError('invalid', 'unknown-party', `No party has the code ${request.partyCode}.`, {
      fields: [{ field: 'partyCode', message: 'is not a known party code' }],
    });
  }
  const expectedKind = DB_PARTY_KIND_OF_AREA[request.area];
  if (party.kind !== expectedKind) {
    const expectedKindInWords = PARTY_KIND_IN_WORDS[PARTY_KIND_OF_AREA[request.area]];
    throw new WorkflowError(
      'invalid',
      'party-does-not-fit-area',
      `Party ${party.code} is ${PARTY_KIND_IN_WORDS[fromDbPartyKind(party.kind)]}, but area ${request.area} is owned by ${expectedKindInWords}.`,
      { fields: [{ field: 'partyCode', message: `must be the code of ${expectedKindInWords} for area ${request.area}` }] },
    );
  }
  if (request.area === 'business-system' && deviation.supplierCode && deviation.supplierCode !== party.code) {
    throw new WorkflowError(
      'invalid',
      'other-supplier',
      `This deviation concerns the business system of supplier ${deviation.supplierCode}; only that supplier can own it in area business-system.`,
      { fields: [{ field: 'partyCode', message: `must be ${deviation.supplierCode} for area business-system` }] },
    );
  }
  await writeOwner(prisma, actor, deviation, { area: request.area, partyCode: party.code }, 'owner-assigned', request.reason);
}

async function writeOwner(
  prisma: PrismaClient,
  actor: Actor,
  deviation: OwnerFields,
  owner: { area: Area; partyCode: string },
  type: 'owner-confirmed' | 'owner-assigned',
  reason: string | null,
): Promise<void> {
  const previous = deviation.ownerArea && deviation.ownerPartyCode
    ? { area: fromDbArea(deviation.ownerArea), partyCode: deviation.ownerPartyCode }
    : null;
  // Setting the owner the deviation already has changes nothing, so history records nothing.
  if (previous && previous.area === owner.area && previous.partyCode === owner.partyCode) return;

  await prisma.$transaction(async (tx) => {
    // The condition on the current owner makes a concurrent change fail instead of being overwritten.
    const updated = await tx.deviation.updateMany({
      where: { id: deviation.id, ownerArea: deviation.ownerArea, ownerPartyCode: deviation.ownerPartyCode },
      data: { ownerArea: toDbArea(owner.area), ownerPartyCode: owner.partyCode, ownerSetBy: actor.userId, ownerSetAt: new Date() },
    });
    if (updated.count !== 1) throw changedMeanwhile();
    await markSetByPerson(tx, deviation.id, ['owner']);
    await appendEvent(tx, { deviationId: deviation.id, actor: actor.userId, type, fromValue: previous, toValue: owner, reason });
  });
}

export function changedMeanwhile(): WorkflowError {
  return new WorkflowError('conflict', 'changed-meanwhile', 'The deviation was changed by another request meanwhile. Read it again and repeat the change.');
}
